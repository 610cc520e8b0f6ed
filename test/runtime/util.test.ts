import { createContext, evaluate, loadResolverCode } from '../../runtime/appsync';
import * as checks from '../../runtime/appsync/util/checks';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from '../../runtime/appsync/util/encoding';
import { autoId, autoKsuid, autoUlid } from '../../runtime/appsync/util/ids';
import { createMathUtils } from '../../runtime/appsync/util/math';
import { createStringUtils } from '../../runtime/appsync/util/str';
import { createXmlUtils } from '../../runtime/appsync/util/xml';

describe('encoding utils', () => {
  it('url-encodes as application/x-www-form-urlencoded and back', () => {
    expect(urlEncode('a b&c=d/é*~')).toBe('a+b%26c%3Dd%2F%C3%A9*%7E');
    expect(urlDecode('a+b%26c%3Dd%2F%C3%A9*%7E')).toBe('a b&c=d/é*~');
  });

  it('base64-encodes UTF-8 text and back', () => {
    expect(base64Encode('héllo')).toBe('aMOpbGxv');
    expect(base64Decode('aMOpbGxv')).toBe('héllo');
  });

  it('escapes JavaScript as Java escapeEcmaScript does', () => {
    expect(escapeJavaScript(`He said "it's" a/b\\c\n\té`)).toBe(`He said \\"it\\'s\\" a\\/b\\\\c\\n\\t\\u00E9`);
  });
});

describe('id utils', () => {
  it('generates a v4 UUID, a ULID and a KSUID of the documented shapes', () => {
    expect(autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(autoUlid(0).slice(0, 10)).toBe('0000000000');
    expect(autoUlid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('sorts ULIDs and KSUIDs by time', () => {
    expect(autoUlid(1_700_000_000_000) < autoUlid(1_700_000_001_000)).toBe(true);
    expect(autoKsuid(1_700_000_000_000) < autoKsuid(1_800_000_000_000)).toBe(true);
  });
});

describe('type and pattern checks', () => {
  it('tells null, empty and blank apart', () => {
    expect([checks.isNull(null), checks.isNull(undefined), checks.isNull('')]).toEqual([true, true, false]);
    expect([checks.isNullOrEmpty(''), checks.isNullOrEmpty(' ')]).toEqual([true, false]);
    expect([checks.isNullOrBlank(' \t'), checks.isNullOrBlank('x')]).toEqual([true, false]);
    expect(checks.defaultIfNull(null, 'd')).toBe('d');
    expect(checks.defaultIfNullOrEmpty('', 'd')).toBe('d');
    expect(checks.defaultIfNullOrBlank('  ', 'd')).toBe('d');
    expect(checks.defaultIfNullOrBlank('v', 'd')).toBe('v');
  });

  it('names types as VTL does and matches whole strings', () => {
    expect([null, 1, 'a', true, [], {}].map(checks.typeOf)).toEqual(['Null', 'Number', 'String', 'Boolean', 'List', 'Map']);
    expect(checks.matches('a*b', 'aaaaab')).toBe(true);
    expect(checks.matches('a*b', 'aaaaabc')).toBe(false);
  });
});

describe('math and string utils', () => {
  it('rounds, bounds and draws numbers within a range', () => {
    const math = createMathUtils(() => 0.999);

    expect([math.roundNum(2.5), math.minVal(3, 1), math.maxVal(3, 1)]).toEqual([3, 1, 3]);
    expect(math.randomWithinRange(1, 6)).toBe(6);
    expect(createMathUtils(() => 0).randomWithinRange(1, 6)).toBe(1);
  });

  it('normalizes unicode forms', () => {
    const str = createStringUtils();

    expect(str.normalize('e\u0301', 'nfc')).toBe('é');
    expect(str.normalize('ﬁ', 'nfkd')).toBe('fi');
    expect(() => str.normalize('x', 'nfx')).toThrow("Unknown normalization type 'nfx'");
  });
});

describe('xml utils', () => {
  it('converts the documented example', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<posts>\n<post>\n  <id>1</id>\n  <title>Getting started with GraphQL</title>\n</post>\n</posts>';

    expect(createXmlUtils().toMap(xml)).toEqual({ posts: { post: { id: 1, title: 'Getting started with GraphQL' } } });
    expect(createXmlUtils().toJsonString(xml)).toBe('{"posts":{"post":{"id":1,"title":"Getting started with GraphQL"}}}');
  });

  it('lists repeated elements and reads attributes, entities and CDATA', () => {
    const xml = '<r><i n="a">x &amp; y</i><i n="b"/><c><![CDATA[<raw>]]></c></r>';

    expect(createXmlUtils().toMap(xml)).toEqual({ r: { i: [{ n: 'a' }, { n: 'b' }], c: '<raw>' } });
    expect(createXmlUtils().toMap('<a><b></a>')).toBeNull();
  });
});

describe('util inside the runtime', () => {
  const code = `
    import { util } from '@aws-appsync/utils';
    export function request(ctx) {
      util.http.addResponseHeader('itemsCount', 7);
      return {
        headers: util.http.copyHeaders(ctx.request.headers),
        encoded: util.urlEncode(ctx.args.q),
        nullish: util.isNullOrBlank(ctx.args.blank),
        time: util.time.epochMilliSecondsToISO8601(0),
        filter: JSON.parse(util.transform.toDynamoDBFilterExpression({ q: { eq: ctx.args.q } })).expression,
      };
    }
    export function response(ctx) { return ctx.result; }`;

  it('exposes every helper to resolver code and records response headers', () => {
    const module = loadResolverCode(code, 'Query.search');
    const ctx = createContext({ arguments: { q: 'a b', blank: ' ' }, request: { headers: { 'x-trace': '1', host: 'api', 'content-length': '12' } } });

    const result = evaluate(module, 'request', ctx);

    expect(result.value).toEqual({
      headers: { 'x-trace': '1' },
      encoded: 'a+b',
      nullish: true,
      time: '1970-01-01T00:00:00.000Z',
      filter: '(#q = :q_eq)',
    });
    expect(result.responseHeaders).toEqual({ itemsCount: 7 });
  });

  it('refuses a response header AppSync restricts', () => {
    const module = loadResolverCode(
      'import { util } from "@aws-appsync/utils"; export function request() { util.http.addResponseHeader("x-amzn-trace", "1"); return {}; }',
      'headers',
    );

    expect(evaluate(module, 'request', createContext()).error?.message).toBe("headers.request: Error: Response header 'x-amzn-trace' is restricted by AppSync");
  });
});
