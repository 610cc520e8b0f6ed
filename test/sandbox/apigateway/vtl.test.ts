import { escapeJavaScript, evaluateJsonPath, InvalidJsonPayloadError, MappingTemplateError, renderMappingTemplate, urlDecode, urlEncode } from '../../../sandbox/services/apigateway';

const BODY = JSON.stringify({ partnerId: 'acme', note: "it's \"fine\"", items: [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 3 }], empty: null, nested: { deep: { value: 7 } } });

function render(template: string, overrides: Partial<Parameters<typeof renderMappingTemplate>[1]> = {}): string {
  return renderMappingTemplate(template, {
    body: BODY,
    params: { path: { orderId: 'PO-1' }, querystring: { page: '2' }, header: { 'X-Partner-Id': 'acme', 'content-type': 'application/json' } },
    context: {
      requestId: 'req-1',
      stage: 'live',
      resourcePath: '/v1/partner-orders',
      httpMethod: 'POST',
      requestTimeEpoch: 1700000000000,
      identity: { sourceIp: '127.0.0.1', apiKey: 'key-value', apiKeyId: 'key-id' },
      error: { message: 'Invalid request body', messageString: '"Invalid request body"', validationErrorString: '[object has missing required properties (["partnerId"])]' },
    },
    stageVariables: { queue: 'orders' },
    ...overrides,
  });
}

describe('API Gateway mapping templates', () => {
  describe('$input', () => {
    it('gives the raw body', () => {
      expect(render('$input.body')).toBe(BODY);
    });

    it('json() renders JSON text of a JSONPath, the whole body for $', () => {
      expect(render("$input.json('$.items[0]')")).toBe('{"sku":"A","quantity":2}');
      expect(render("$input.json('$.partnerId')")).toBe('"acme"');
      expect(JSON.parse(render("$input.json('$')"))).toEqual(JSON.parse(BODY));
      expect(render("[$input.json('$.missing')]")).toBe('[]');
    });

    it('path() gives values to navigate, wildcards give lists, missing and null render as nothing', () => {
      expect(render("$input.path('$.partnerId')")).toBe('acme');
      expect(render("$input.path('$.nested.deep.value')")).toBe('7');
      expect(render("$input.path('$.items').size()")).toBe('2');
      expect(render("$input.path('$.items[-1].sku')")).toBe('B');
      expect(render("$input.path('$.items[*].sku')")).toBe('[A, B]');
      expect(render("$input.path('$..quantity')")).toBe('[2, 3]');
      expect(render("#set($root = $input.path('$'))$root.items[1].quantity")).toBe('3');
      expect(render("[$input.path('$.missing')][$input.path('$.empty')]")).toBe('[][]');
    });

    it('params() finds a name in path, query string, then headers (any case), or gives all of them', () => {
      expect(render("$input.params('orderId') $input.params('page') $input.params('x-partner-id') [$input.params('nope')]")).toBe('PO-1 2 acme []');
      expect(render("#foreach($name in $input.params().header.keySet())$name;#end")).toBe('X-Partner-Id;content-type;');
      expect(render("$input.params().path.get('orderId')")).toBe('PO-1');
    });

    it('an empty body is {} and a body that is not JSON fails json()/path() like API Gateway (400)', () => {
      expect(render("$input.json('$')", { body: '' })).toBe('{}');
      expect(render('[$input.body]', { body: 'not json' })).toBe('[not json]');
      expect(() => render("$input.json('$')", { body: 'not json' })).toThrow(InvalidJsonPayloadError);
      expect(() => render("$input.json('$')", { body: 'not json' })).toThrow(/^Could not parse request body into json: /);
    });
  });

  describe('$util', () => {
    it('urlEncode/urlDecode as Java URLEncoder does: + for spaces, only A-Za-z0-9.-*_ kept', () => {
      expect(render("$util.urlEncode('a b&c=d+e/é~!*')")).toBe('a+b%26c%3Dd%2Be%2F%C3%A9%7E%21*');
      expect(urlEncode("(it's)")).toBe('%28it%27s%29');
      expect(render("$util.urlDecode('a+b%26c')")).toBe('a b&c');
      expect(urlDecode(urlEncode(BODY))).toBe(BODY);
      expect(new URLSearchParams(`MessageBody=${render('$util.urlEncode($input.body)')}`).get('MessageBody')).toBe(BODY);
    });

    it("escapeJavaScript escapes quotes (single ones too, as API Gateway does), slashes, control and non-ASCII characters", () => {
      expect(render('$util.escapeJavaScript($input.path(\'$.note\'))')).toBe("it\\'s \\\"fine\\\"");
      expect(escapeJavaScript('a/b\\c\n\t\u0001é')).toBe('a\\/b\\\\c\\n\\t\\u0001\\u00E9');
    });

    it('parseJson gives an object, base64Encode/Decode round-trip UTF-8', () => {
      expect(render("#set($o = $util.parseJson('{\"a\":{\"b\":[1,2]}}'))$o.a.b[1]")).toBe('2');
      expect(render("$util.base64Encode('thé')")).toBe(Buffer.from('thé').toString('base64'));
      expect(render("$util.base64Decode('dGjDqQ==')")).toBe('thé');
      expect(() => render("$util.parseJson('{')")).toThrow(MappingTemplateError);
    });
  });

  describe('$context and $stageVariables', () => {
    it('render the request, identity and error variables; unknown ones render as nothing', () => {
      expect(render('$context.requestId $context.stage $context.resourcePath $context.httpMethod $context.requestTimeEpoch')).toBe('req-1 live /v1/partner-orders POST 1700000000000');
      expect(render('$context.identity.sourceIp $context.identity.apiKey $context.identity.apiKeyId')).toBe('127.0.0.1 key-value key-id');
      expect(render('{"message": $context.error.messageString}')).toBe('{"message": "Invalid request body"}');
      expect(render('$context.error.validationErrorString')).toBe('[object has missing required properties (["partnerId"])]');
      expect(render('[$context.identity.user][$context.nothing.at.all][$stageVariables.queue]')).toBe('[][][orders]');
    });
  });

  describe('directives', () => {
    it('#set assigns, with interpolated double-quoted strings and arithmetic', () => {
      expect(render('#set($id = "order-$input.params(\'orderId\')")#set($n = 2 * 3 + 1)$id $n')).toBe('order-PO-1 7');
    });

    it('#if/#elseif/#else/#end with comparisons, && and !', () => {
      const template = "#if($input.path('$.partnerId') == 'x')X#elseif($input.path('$.items').size() > 1 && !$input.path('$.missing'))MANY#{else}ONE#end";
      expect(render(template)).toBe('MANY');
      expect(render(template, { body: '{"partnerId":"x"}' })).toBe('X');
      expect(render(template, { body: '{"items":[1]}' })).toBe('ONE');
    });

    it('#foreach with $foreach.hasNext builds JSON lists', () => {
      const template = "[#foreach($item in $input.path('$.items')){\"sku\":\"$item.sku\",\"q\":$item.quantity}#if($foreach.hasNext),#end#end]";
      expect(JSON.parse(render(template))).toEqual([{ sku: 'A', q: 2 }, { sku: 'B', q: 3 }]);
    });

    it('comments are dropped and a #set line leaves no blank line', () => {
      expect(render("## a comment\n#set($x = 1)\nvalue=${x}#* block *#")).toBe('value=1');
    });
  });

  describe('Java methods', () => {
    it('String: length, contains, isEmpty, matches (whole string), replaceAll with groups, split, equals', () => {
      expect(render("#set($s = 'PO-1001')$s.length() $s.contains('-10') $s.isEmpty() $s.matches('PO-\\d+') $s.matches('\\d+')")).toBe('7 true false true false');
      expect(render("#set($s = 'a-b-c')$s.replaceAll('-(\\w)', '+$1') $s.replaceFirst('-', '') $s.toUpperCase() $s.substring(2) $s.equals('a-b-c')")).toBe('a+b+c ab-c A-B-C b-c true');
      expect(render("#set($csv = 'a,b,,')#foreach($p in $csv.split(','))[$p]#end")).toBe('[a][b]');
    });

    it('List and Map: isEmpty, contains, containsKey, keySet, get, size, put', () => {
      expect(render("$input.path('$.items').isEmpty() $input.path('$.nested').containsKey('deep') $input.path('$.nested').containsKey('x')")).toBe('false true false');
      expect(render("#set($m = {})#set($ignored = $m.put('k', 'v'))$m.get('k') $m.size() #set($l = ['a'])$l.contains('a')")).toBe('v 1 true');
    });
  });

  it('a template that does not parse is a configuration error', () => {
    expect(() => render('#if($x')).toThrow(MappingTemplateError);
  });

  it('templates cannot change what the next template reads', () => {
    render("#set($items = $input.path('$.items'))#set($ignored = $items.add('x'))");
    expect(render("$input.path('$.items').size()")).toBe('2');
  });
});

describe('evaluateJsonPath', () => {
  const document = { a: { 'b.c': [1, { d: 2 }] }, list: [{ x: 1 }, { x: 2 }] };
  it('reads keys, bracketed names, indexes, wildcards and deep scans', () => {
    expect(evaluateJsonPath(document, '$')).toBe(document);
    expect(evaluateJsonPath(document, "$.a['b.c'][1].d")).toBe(2);
    expect(evaluateJsonPath(document, '$.list[*].x')).toEqual([1, 2]);
    expect(evaluateJsonPath(document, '$.list.*.x')).toEqual([1, 2]);
    expect(evaluateJsonPath(document, '$..x')).toEqual([1, 2]);
    expect(evaluateJsonPath(document, '$.nope.x')).toBeUndefined();
  });
  it('names the path it cannot read', () => {
    expect(() => evaluateJsonPath(document, 'a.b')).toThrow('JSONPath a.b must start with $');
    expect(() => evaluateJsonPath(document, '$.list[?(@.x)]')).toThrow('JSONPath $.list[?(@.x)]: [?(@.x)] is not supported (filters and slices are not emulated)');
  });
});
