// InvalidEventPatternException messages. "recorded" cases are AWS's own TestEventPattern answers as kept
// in LocalStack's AWS-validated snapshot (test_events_patterns.snapshot.json), compared word for word; the
// others are event-ruler's JsonRuleCompiler messages, which AWS quotes after "Reason: ".
import { compilePattern, InvalidEventPatternException, MAX_RULE_COMBINATIONS } from '../../../sandbox/services/eventbridge/pattern';

function problemsOf(pattern: unknown): InvalidEventPatternException {
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternException) return error;
    throw error;
  }
  throw new Error(`pattern was accepted: ${JSON.stringify(pattern)}`);
}

const reason = (text: string) => `Event pattern is not valid. Reason: ${text}`;
const state = (entry: unknown) => ({ detail: { state: [entry] } });

describe('messages AWS returned (recorded)', () => {
  it.each([
    { name: 'a number without its list', pattern: { int: 42 }, message: '"int" must be an object or an array' },
    { name: 'a string without its list', pattern: { string: 'my-value' }, message: '"string" must be an object or an array' },
    { name: 'an empty list', pattern: { resources: [] }, message: 'Empty arrays are not allowed' },
    { name: 'a pattern that is a list', pattern: ['not', 'a', 'dict', 'but valid json'], message: 'Filter is not an object' },
    { name: 'operators are case sensitive (NUMERIC)', pattern: { detail: { equal: [{ NUMERIC: ['=', 5] }] } }, message: 'Unrecognized match type NUMERIC' },
    { name: 'operators are case sensitive (EXISTS)', pattern: { my_key: [{ EXISTS: true }] }, message: 'Unrecognized match type EXISTS' },
    { name: 'numeric with two lower bounds', pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '>', 0] }] } }, message: 'Bad numeric range operator: >' },
    { name: 'numeric with an upper bound missing its value', pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<'] }] } }, message: 'Value of < must be numeric' },
    { name: 'numeric that is not a list', pattern: { detail: { 'c-count': [{ numeric: 10 }] } }, message: 'Value of numeric must be an array.' },
    { name: 'prefix given a list', pattern: { time: [{ prefix: ['2022-07-13'] }] }, message: 'prefix match pattern must be a string' },
    { name: 'prefix given a number', pattern: { time: [{ prefix: 123 }] }, message: 'prefix match pattern must be a string' },
    { name: 'suffix given a list', pattern: { FileName: [{ suffix: ['.png'] }] }, message: 'suffix match pattern must be a string' },
    { name: 'suffix given a number', pattern: { FileName: [{ suffix: 123 }] }, message: 'suffix match pattern must be a string' },
    { name: 'equals-ignore-case given a list', pattern: { 'detail-type': [{ 'equals-ignore-case': ['ec2'] }] }, message: 'equals-ignore-case match pattern must be a string' },
    { name: 'equals-ignore-case given a prefix', pattern: { 'detail-type': [{ 'equals-ignore-case': { prefix: 'ec2' } }] }, message: 'equals-ignore-case match pattern must be a string' },
    { name: 'wildcard given a number', pattern: { EventBusArn: [{ wildcard: 123 }] }, message: 'wildcard match pattern must be a string' },
    { name: 'wildcard given a list', pattern: { EventBusArn: [{ wildcard: ['arn:*'] }] }, message: 'wildcard match pattern must be a string' },
    {
      name: 'two stars in a row, with the position Ruler counts',
      pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] },
      message: 'Consecutive wildcard characters at pos 26',
    },
    { name: 'cidr without a mask', pattern: { detail: { sourceIPAddress: [{ cidr: 'bad-filter' }] } }, message: "Malformed CIDR, one '/' required" },
    { name: 'cidr with a mask that is not a number', pattern: { detail: { sourceIPAddress: [{ cidr: 'bad-/64filter' }] } }, message: 'Malformed CIDR, mask bits must be an integer' },
    { name: 'cidr of a non-address', pattern: { detail: { sourceIPAddress: [{ cidr: 'xx.11.xx/8' }] } }, message: 'Nonstandard IP address: xx.11.xx' },
    { name: 'cidr of a bad IPv6 address', pattern: { detail: { sourceIPAddress: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] } }, message: 'Nonstandard IP address: xxxx:db8:1234:1a00::' },
    { name: 'cidr given a list (Ruler says "prefix")', pattern: { detail: { sourceIPAddress: [{ cidr: ['bad-type'] }] } }, message: 'prefix match pattern must be a string' },
    { name: 'anything-but null', pattern: state({ 'anything-but': null }), message: 'Value of anything-but must be an array or single string/number value.' },
    { name: 'anything-but with null in its list', pattern: state({ 'anything-but': ['stopped', null] }), message: 'Inside anything but list, start|null|boolean is not supported.' },
    {
      name: 'anything-but equals-ignore-case of a number',
      pattern: state({ 'anything-but': { 'equals-ignore-case': 123 } }),
      message: 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    },
    {
      name: 'anything-but equals-ignore-case of numbers',
      pattern: state({ 'anything-but': { 'equals-ignore-case': [123, 456] } }),
      message: 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    },
    { name: 'anything-but prefix of a number', pattern: state({ 'anything-but': { prefix: 123 } }), message: 'prefix/suffix match pattern must be a string' },
    { name: 'anything-but prefix list with a number', pattern: state({ 'anything-but': { prefix: [123, 'test'] } }), message: 'prefix/suffix match pattern must be a string' },
    { name: 'anything-but suffix list with null', pattern: state({ 'anything-but': { suffix: [null, '.txt'] } }), message: 'prefix/suffix match pattern must be a string' },
    { name: 'anything-but of an empty prefix', pattern: state({ 'anything-but': { prefix: '' } }), message: 'Null prefix/suffix not allowed' },
    { name: 'anything-but of an empty suffix', pattern: state({ 'anything-but': { suffix: '' } }), message: 'Null prefix/suffix not allowed' },
    { name: 'anything-but wildcard of a number', pattern: state({ 'anything-but': { wildcard: 123 } }), message: 'wildcard match pattern must be a string' },
    { name: 'anything-but wildcard list with a number', pattern: state({ 'anything-but': { wildcard: [123, '*/dir/*'] } }), message: 'wildcard match pattern must be a string' },
    {
      name: 'anything-but prefix ignoring case is not supported',
      pattern: state({ 'anything-but': { prefix: { 'equals-ignore-case': 'file' } } }),
      message: 'Value of anything-but must be an array or single string/number value.',
    },
  ])('$name', ({ pattern, message }) => {
    expect(problemsOf(pattern).message).toBe(reason(message));
  });
});

describe("event-ruler's compiler messages", () => {
  it.each([
    { name: 'an empty object', pattern: { detail: {} }, message: 'Empty objects are not allowed' },
    { name: 'a list inside a match list', pattern: { source: [['aws.ec2']] }, message: 'Match value must be String, number, true, false, or null' },
    { name: 'an empty match expression', pattern: state({}), message: 'Match expression name not found' },
    { name: 'two operators in one expression', pattern: state({ prefix: 'a', suffix: 'b' }), message: 'Only one key allowed in match expression' },
    { name: 'exists that is not a boolean', pattern: state({ exists: 'yes' }), message: 'exists match pattern must be either true or false.' },
    { name: 'prefix of another operator', pattern: state({ prefix: { wildcard: 'a*' } }), message: 'Unsupported prefix pattern: wildcard' },
    { name: 'anything-but of another operator', pattern: state({ 'anything-but': { numeric: ['>', 1] } }), message: 'Unsupported anything-but pattern: numeric' },
    {
      name: 'anything-but mixing strings and numbers',
      pattern: state({ 'anything-but': ['stopped', 1] }),
      message: 'Inside anything but list, either all values are number or string, mixed type is not supported',
    },
    { name: 'a backslash escaping nothing', pattern: state({ wildcard: 'a\\b' }), message: 'Invalid escape character at pos 2' },
    { name: 'numeric without an operator', pattern: state({ numeric: [5] }), message: 'Invalid member in numeric match: 5' },
    { name: 'an empty numeric list', pattern: state({ numeric: [] }), message: 'Invalid member in numeric match: ]' },
    { name: 'an unknown numeric operator', pattern: state({ numeric: ['!=', 5] }), message: 'Unrecognized numeric range operator: !=' },
    { name: '= of a string', pattern: state({ numeric: ['=', '5'] }), message: 'Value of equals must be numeric' },
    { name: '= with a second term', pattern: state({ numeric: ['=', 5, '<', 6] }), message: 'Too many elements in numeric expression' },
    { name: 'an upper bound first', pattern: state({ numeric: ['<', 5, '>', 1] }), message: 'Too many elements in numeric expression' },
    { name: 'a range with five terms', pattern: state({ numeric: ['>', 1, '<', 5, 6] }), message: 'Too many terms in numeric range expression' },
    { name: 'an empty range', pattern: state({ numeric: ['>', 5, '<', 5] }), message: 'Bottom must be less than top' },
    { name: 'a bound beyond +5.0e9', pattern: state({ numeric: ['<', 1e10] }), message: 'Value must be between -5.0E9 and 5.0E9, inclusive' },
    { name: 'an anything-but number beyond +5.0e9', pattern: state({ 'anything-but': [6e9] }), message: 'Value must be between -5.0E9 and 5.0E9, inclusive' },
    { name: 'an IPv4 mask of 32', pattern: state({ cidr: '10.0.0.1/32' }), message: 'IPv4 mask bits must be < 32' },
    { name: 'an address that does not parse', pattern: state({ cidr: '10.0.0.256/24' }), message: 'Invalid IP address: 10.0.0.256' },
    { name: '$or that is not a list', pattern: { $or: { a: ['x'] } }, message: 'It must be an Array followed with $or.' },
    { name: '$or with one branch', pattern: { $or: [{ a: ['x'] }] }, message: 'There must have at least 2 Objects in $or relationship.' },
    { name: '$or with a value that is not an object', pattern: { $or: [{ a: ['x'] }, 'b'] }, message: 'Only JSON object is allowed in array of $or relationship.' },
    {
      name: 'an operator name as a field inside $or',
      pattern: { $or: [{ numeric: [123] }, { prefix: ['abc'] }] },
      message: 'numeric is Ruler reserved fieldName which cannot be used inside $or.; prefix is Ruler reserved fieldName which cannot be used inside $or.',
    },
  ])('$name', ({ pattern, message }) => {
    expect(problemsOf(pattern).message).toBe(reason(message));
  });

  it('says why JSON text does not parse', () => {
    expect(problemsOf('{"source": ["aws.ec2"]').message).toMatch(/^Event pattern is not valid\. Reason: .*JSON/);
  });
});

describe('collecting problems', () => {
  it('reports every problem once, each at its path, in a typed error', () => {
    const error = problemsOf({ source: 'aws.ec2', detail: { state: [], count: [{ numeric: ['>', 'x'] }] }, $or: [{ a: ['x'] }, 1] });
    expect(error).toBeInstanceOf(InvalidEventPatternException);
    expect(error.name).toBe('InvalidEventPatternException');
    expect(error.problems).toEqual([
      { path: 'source', reason: '"source" must be an object or an array' },
      { path: 'detail.state', reason: 'Empty arrays are not allowed' },
      { path: 'detail.count', reason: 'Value of > must be numeric' },
      { path: '$or[1]', reason: 'Only JSON object is allowed in array of $or relationship.' },
    ]);
  });

  it(`refuses a pattern whose $or make more than ${MAX_RULE_COMBINATIONS} combinations ("Complex example with $or matching", note)`, () => {
    const or = (name: string, count: number) => ({ $or: Array.from({ length: count }, (_, index) => ({ [`${name}${index}`]: ['x'] })) });
    expect(compilePattern({ a: or('a', 10), b: or('b', 10), c: or('c', 10) }).combinations).toBe(1000);
    expect(problemsOf({ a: or('a', 10), b: or('b', 10), c: or('c', 11) }).problems).toEqual([
      { path: '$or', reason: `The event pattern expands to more than ${MAX_RULE_COMBINATIONS} rule combinations through $or` },
    ]);
  });
});
