// Every comparison operator against the examples the EventBridge User Guide gives for it: "Content filtering
// in Amazon EventBridge event patterns" (eb-event-patterns-content-based-filtering), "Comparison operators
// for use in event patterns" (eb-create-pattern-operators), "Matching null values and empty strings" and
// "Arrays in event patterns". Cases marked "recorded" are outcomes AWS's TestEventPattern gave, as kept in
// LocalStack's AWS-validated snapshots (tests/aws/services/events/event_pattern_templates).
import { compilePattern } from '../../../sandbox/services/eventbridge/pattern';
import { awsEvent, rulerExampleEvent, withDetail } from './events';

interface Case {
  readonly name: string;
  readonly pattern: Record<string, unknown>;
  readonly event: object;
  readonly matches: boolean;
}

const run = (cases: readonly Case[]) =>
  it.each(cases)('$name', ({ pattern, event, matches }) => {
    expect(compilePattern(pattern).matches(event)).toBe(matches);
  });

describe('exact values ("Matching event values", "Matching null values and empty strings")', () => {
  run([
    { name: 'source is one of several values', pattern: { source: ['aws.ec2', 'aws.fargate'] }, event: awsEvent({ source: 'aws.fargate' }), matches: true },
    { name: 'source is none of them', pattern: { source: ['aws.ec2', 'aws.fargate'] }, event: awsEvent({ source: 'aws.s3' }), matches: false },
    {
      name: 'the instance-termination pattern matches a terminated instance',
      pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
      event: withDetail({ 'instance-id': 'i-1234567890abcdef0', state: 'terminated' }),
      matches: true,
    },
    {
      name: 'strings match character by character, without case folding',
      pattern: { detail: { state: ['Terminated'] } },
      event: withDetail({ state: 'terminated' }),
      matches: false,
    },
    {
      name: 'a number matches the same number (Macie severity score and count)',
      pattern: { source: ['aws.macie'], detail: { severity: { score: [1] }, count: [2] } },
      event: awsEvent({ source: 'aws.macie', detail: { severity: { score: 1, description: 'Low' }, count: 2 } }),
      matches: true,
    },
    { name: 'a number does not match its string', pattern: { detail: { count: [2] } }, event: withDetail({ count: '2' }), matches: false },
    { name: 'a string does not match the number it spells', pattern: { detail: { count: ['2'] } }, event: withDetail({ count: 2 }), matches: false },
    { name: 'true matches the JSON literal true', pattern: { detail: { enabled: [true] } }, event: withDetail({ enabled: true }), matches: true },
    { name: 'false does not match true (recorded)', pattern: { detail: { enabled: [false] } }, event: withDetail({ enabled: true }), matches: false },
    { name: 'true does not match the string "true"', pattern: { detail: { enabled: [true] } }, event: withDetail({ enabled: 'true' }), matches: false },
    { name: '"" matches an empty string', pattern: { detail: { eventVersion: [''] } }, event: withDetail({ eventVersion: '', responseElements: null }), matches: true },
    { name: 'null matches null', pattern: { detail: { responseElements: [null] } }, event: withDetail({ eventVersion: '', responseElements: null }), matches: true },
    { name: '"" does not match null: they are not interchangeable', pattern: { detail: { responseElements: [''] } }, event: withDetail({ responseElements: null }), matches: false },
    { name: 'null does not match the string "null" (recorded)', pattern: { detail: { responseElements: [null] } }, event: withDetail({ responseElements: 'null' }), matches: false },
    { name: 'null does not match a missing field', pattern: { detail: { responseElements: [null] } }, event: withDetail({}), matches: false },
    {
      name: 'an IP address literal matches another spelling of the same address',
      pattern: { detail: { sourceIPAddress: ['2001:db8::1'] } },
      event: withDetail({ sourceIPAddress: '2001:0db8:0000:0000:0000:0000:0000:0001' }),
      matches: true,
    },
  ]);
});

describe('prefix ("Prefix matching", "Begins with" and "Begins with (ignore case)")', () => {
  run([
    { name: 'time starts with 2017-10-02', pattern: { time: [{ prefix: '2017-10-02' }] }, event: awsEvent({ time: '2017-10-02T18:43:48Z' }), matches: true },
    { name: 'time of another day', pattern: { time: [{ prefix: '2017-10-02' }] }, event: awsEvent({ time: '2017-10-03T18:43:48Z' }), matches: false },
    { name: 'Region is in the US', pattern: { detail: { Region: [{ prefix: 'us-' }] } }, event: withDetail({ Region: 'us-east-1' }), matches: true },
    { name: 'Region is not in the US', pattern: { detail: { Region: [{ prefix: 'us-' }] } }, event: withDetail({ Region: 'eu-west-1' }), matches: false },
    { name: 'prefix is case sensitive', pattern: { detail: { Region: [{ prefix: 'us-' }] } }, event: withDetail({ Region: 'US-EAST-1' }), matches: false },
    { name: 'prefix only matches strings', pattern: { detail: { count: [{ prefix: '12' }] } }, event: withDetail({ count: 123 }), matches: false },
    { name: 'an empty prefix matches every string (recorded)', pattern: { source: [{ prefix: '' }] }, event: awsEvent({ source: 'test-source' }), matches: true },
    {
      name: 'service starts with "eventb" regardless of case',
      pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] } },
      event: withDetail({ service: 'EventBridge' }),
      matches: true,
    },
    {
      name: 'mixed case on both sides (recorded)',
      pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
      event: withDetail({ service: 'EvEnTb' }),
      matches: true,
    },
    {
      name: 'service that starts otherwise',
      pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] } },
      event: withDetail({ service: 'SNS' }),
      matches: false,
    },
  ]);
});

describe('suffix ("Suffix matching", "Ends with" and "Ends with (ignore case)")', () => {
  run([
    { name: 'FileName ends with .png', pattern: { FileName: [{ suffix: '.png' }] }, event: { ...awsEvent(), FileName: 'image.png' }, matches: true },
    { name: 'FileName ends with .png.bak', pattern: { FileName: [{ suffix: '.png' }] }, event: { ...awsEvent(), FileName: 'image.png.bak' }, matches: false },
    { name: 'suffix is case sensitive (recorded)', pattern: { FileName: [{ suffix: '.PNG' }] }, event: { ...awsEvent(), FileName: 'image.png' }, matches: false },
    {
      name: 'service ends with "tBridge" in any casing',
      pattern: { detail: { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] } },
      event: withDetail({ service: 'EVENTBRIDGE' }),
      matches: true,
    },
    {
      name: 'FileName ends with .png ignoring case (recorded)',
      pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      event: withDetail({ FileName: 'image.PNG' }),
      matches: true,
    },
    {
      name: 'a .jpg is not a .png in any case (recorded)',
      pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      event: withDetail({ FileName: 'image.jpg' }),
      matches: false,
    },
  ]);
});

describe('equals-ignore-case ("Equals-ignore-case matching", "Equals (ignore case)")', () => {
  run([
    {
      name: 'detail-type in another casing',
      pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
      event: awsEvent(),
      matches: true,
    },
    { name: 'Name is "Alice"', pattern: { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, event: withDetail({ Name: 'ALICE' }), matches: true },
    { name: 'Name is "Alicia"', pattern: { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, event: withDetail({ Name: 'Alicia' }), matches: false },
    { name: 'an empty value matches only "" (recorded)', pattern: { detail: { value: [{ 'equals-ignore-case': '' }] } }, event: withDetail({ value: 'test-value' }), matches: false },
    { name: 'numbers are not strings', pattern: { detail: { value: [{ 'equals-ignore-case': '5' }] } }, event: withDetail({ value: 5 }), matches: false },
  ]);
});

describe('anything-but ("Anything-but matching" and its begins-with, ends-with, ignore-case and wildcard forms)', () => {
  const state = (value: unknown) => withDetail(value === undefined ? {} : { state: value });
  run([
    { name: 'state is any value besides "initializing"', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: state('pending'), matches: true },
    { name: 'state is "initializing"', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: state('initializing'), matches: false },
    { name: 'a null state is anything but "initializing" (recorded)', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: state(null), matches: true },
    { name: 'a missing state is not (recorded)', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: state(undefined), matches: false },
    { name: 'x-limit is anything but 123', pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, event: withDetail({ 'x-limit': 789 }), matches: true },
    { name: 'x-limit is 123', pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, event: withDetail({ 'x-limit': 123 }), matches: false },
    { name: 'state is neither "stopped" nor "overloaded"', pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, event: state('pending'), matches: true },
    { name: 'state is "stopped"', pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, event: state('stopped'), matches: false },
    { name: 'x-limit is none of 100, 200, 300', pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, event: withDetail({ 'x-limit': 999 }), matches: true },
    { name: 'x-limit is 100', pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, event: withDetail({ 'x-limit': 100 }), matches: false },
    { name: 'the string "100" is not the number 100', pattern: { detail: { 'x-limit': [{ 'anything-but': [100] }] } }, event: withDetail({ 'x-limit': '100' }), matches: true },
    { name: 'state does not start with "init"', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: state('post-init'), matches: true },
    { name: 'state starts with "init" (recorded)', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: state('init-prefix'), matches: false },
    { name: 'a number has no prefix to exclude (recorded)', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: state(12), matches: true },
    { name: 'Region is not in the US', pattern: { detail: { Region: [{ 'anything-but': { prefix: 'us-' } }] } }, event: withDetail({ Region: 'eu-west-1' }), matches: true },
    { name: 'Region is in the US', pattern: { detail: { Region: [{ 'anything-but': { prefix: 'us-' } }] } }, event: withDetail({ Region: 'us-west-2' }), matches: false },
    { name: 'neither prefix of a list (recorded)', pattern: { detail: { state: [{ 'anything-but': { prefix: ['init', 'post'] } }] } }, event: state('post-init'), matches: false },
    { name: 'FileName does not end with .png', pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, event: withDetail({ FileName: 'notes.txt' }), matches: true },
    { name: 'FileName ends with .png', pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, event: withDetail({ FileName: 'image.png' }), matches: false },
    { name: 'ends with one of a list (recorded)', pattern: { detail: { FileName: [{ 'anything-but': { suffix: ['.txt', '.jpg'] } }] } }, event: withDetail({ FileName: 'file.jpg' }), matches: false },
    {
      name: 'state is not "initializing" in any casing',
      pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
      event: state('pending'),
      matches: true,
    },
    {
      name: 'state is "INITIALIZING" (recorded)',
      pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
      event: state('INITIALIZING'),
      matches: false,
    },
    {
      name: 'FilePath does not include /lib/',
      pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      event: withDetail({ FilePath: '/usr/bin/app' }),
      matches: true,
    },
    {
      name: 'FilePath includes /lib/',
      pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      event: withDetail({ FilePath: '/usr/lib/app' }),
      matches: false,
    },
    { name: 'a number is anything but a wildcard (recorded)', pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/dir/*' } }] } }, event: withDetail({ FilePath: 123 }), matches: true },
  ]);
});

describe('numeric ("Numeric matching", "Numeric (equals)" and "Numeric (range)")', () => {
  const documented = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
  run([
    { name: 'c-count in (0, 5], d-count below 10, x-limit = 3.018e2', pattern: documented, event: rulerExampleEvent(), matches: true },
    { name: 'c-count 0 is not above 0', pattern: documented, event: rulerExampleEvent({ 'c-count': 0 }), matches: false },
    { name: 'c-count 42 is above 5 (recorded)', pattern: documented, event: rulerExampleEvent({ 'c-count': 42 }), matches: false },
    { name: 'x-limit 301.9 is not 3.018e2', pattern: documented, event: rulerExampleEvent({ 'x-limit': 301.9 }), matches: false },
    { name: 'Price is 100', pattern: { detail: { Price: [{ numeric: ['=', 100] }] } }, event: withDetail({ Price: 100 }), matches: true },
    { name: 'Price is more than 10 and at most 20: 20', pattern: { detail: { Price: [{ numeric: ['>', 10, '<=', 20] }] } }, event: withDetail({ Price: 20 }), matches: true },
    { name: 'Price is more than 10 and at most 20: 10', pattern: { detail: { Price: [{ numeric: ['>', 10, '<=', 20] }] } }, event: withDetail({ Price: 10 }), matches: false },
    { name: 'Price is more than 10 and at most 20: 15.5', pattern: { detail: { Price: [{ numeric: ['>', 10, '<=', 20] }] } }, event: withDetail({ Price: 15.5 }), matches: true },
    { name: '>= includes its bound', pattern: { detail: { Price: [{ numeric: ['>=', 10] }] } }, event: withDetail({ Price: 10 }), matches: true },
    { name: '< excludes its bound', pattern: { detail: { Price: [{ numeric: ['<', 10] }] } }, event: withDetail({ Price: 10 }), matches: false },
    { name: 'only JSON numbers: the string "300" (recorded)', pattern: { number: [{ numeric: ['>', 100] }] }, event: { ...awsEvent(), number: '300' }, matches: false },
    { name: 'only JSON numbers: null (recorded)', pattern: { number: [{ numeric: ['>', 100] }] }, event: { ...awsEvent(), number: null }, matches: false },
    { name: 'six digits right of the point: 1.5000001 equals 1.5', pattern: { detail: { v: [{ numeric: ['=', 1.5] }] } }, event: withDetail({ v: 1.5000001 }), matches: true },
    { name: 'six digits right of the point: 1.500001 does not', pattern: { detail: { v: [{ numeric: ['=', 1.5] }] } }, event: withDetail({ v: 1.500001 }), matches: false },
    { name: 'values up to +5.0e9 compare', pattern: { detail: { v: [{ numeric: ['>=', 4e9] }] } }, event: withDetail({ v: 5e9 }), matches: true },
    { name: 'values beyond +5.0e9 do not', pattern: { detail: { v: [{ numeric: ['>=', 4e9] }] } }, event: withDetail({ v: 6e9 }), matches: false },
  ]);
});

describe('cidr ("IP address matching")', () => {
  const v4 = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
  const v6 = { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } };
  const ip = (address: unknown) => withDetail({ sourceIPAddress: address });
  run([
    { name: 'an address from 10.0.0.0 to 10.0.0.255: 10.0.0.255 (recorded)', pattern: v4, event: ip('10.0.0.255'), matches: true },
    { name: 'an address from 10.0.0.0 to 10.0.0.255: 10.0.0.0', pattern: v4, event: ip('10.0.0.0'), matches: true },
    { name: 'the next block, 10.0.1.0', pattern: v4, event: ip('10.0.1.0'), matches: false },
    { name: '10.0.0.256 is no address (recorded)', pattern: v4, event: ip('10.0.0.256'), matches: false },
    { name: 'a number is no address (recorded)', pattern: v4, event: ip(123), matches: false },
    { name: 'IPv6 written in full (recorded)', pattern: v6, event: ip('2001:0db8:1234:1a00:0000:0000:0000:0000'), matches: true },
    { name: 'IPv6 written compressed', pattern: v6, event: ip('2001:db8:1234:1a00::dead:beef'), matches: true },
    { name: 'IPv6 outside the /64 (recorded)', pattern: v6, event: ip('2001:0db8:123f:1a01:0000:0000:0000:0000'), matches: false },
    { name: 'an IPv6 address is not in an IPv4 block', pattern: v4, event: ip('::1'), matches: false },
  ]);
});

describe('exists ("Exists matching", "Exists" and "Does not exist")', () => {
  const exists = (value: boolean) => ({ detail: { state: [{ exists: value }] } });
  const withState = withDetail({ 'instance-id': 'i-abcd1111', state: 'pending' });
  const withoutState = withDetail({ 'c-count': { c1: 100 } });
  run([
    { name: 'detail.state is present', pattern: exists(true), event: withState, matches: true },
    { name: 'detail.state is absent', pattern: exists(true), event: withoutState, matches: false },
    { name: 'a null value exists', pattern: exists(true), event: withDetail({ state: null }), matches: true },
    { name: 'does not exist: absent', pattern: exists(false), event: withoutState, matches: true },
    { name: 'does not exist: present', pattern: exists(false), event: withState, matches: false },
    {
      name: 'only leaf nodes exist: an object-valued field does not (recorded)',
      pattern: { dynamodb: { presentKey: [{ exists: true }] } },
      event: { ...awsEvent(), dynamodb: { presentKey: { S: 'test123' } } },
      matches: false,
    },
    {
      name: 'only leaf nodes exist: exists false holds for an object-valued field',
      pattern: { detail: { 'c-count': [{ exists: false }] } },
      event: withoutState,
      matches: true,
    },
    {
      name: 'an empty array holds no value (recorded)',
      pattern: { resources: [{ exists: true }] },
      event: awsEvent({ resources: [] }),
      matches: false,
    },
    {
      name: 'a nested path under a missing parent does not exist (recorded)',
      pattern: { detail: { level1: { level2: { level3: [{ exists: false }] } } } },
      event: withDetail({ level1: { other: 'value' } }),
      matches: true,
    },
  ]);
});

describe('wildcard ("Wildcard matching")', () => {
  const bus = (wildcard: string) => ({ EventBusArn: [{ wildcard }] });
  const arn = { ...awsEvent(), EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' };
  const file = (name: string) => withDetail({ FileName: name });
  run([
    { name: 'any account, any bus name', pattern: bus('arn:aws:events:us-east-1:*:event-bus/*'), event: arn, matches: true },
    { name: 'another region', pattern: bus('arn:aws:events:us-west-2:*:event-bus/*'), event: arn, matches: false },
    { name: 'any .png file located within the folder "dir"', pattern: { detail: { FileName: [{ wildcard: 'dir/*.png' }] } }, event: file('dir/image.png'), matches: true },
    { name: 'a .png outside "dir"', pattern: { detail: { FileName: [{ wildcard: 'dir/*.png' }] } }, event: file('other/image.png'), matches: false },
    { name: 'a star matches zero characters', pattern: { detail: { FileName: [{ wildcard: 'dir/*.png' }] } }, event: file('dir/.png'), matches: true },
    { name: 'a star spans path separators (recorded)', pattern: { detail: { FileName: [{ wildcard: '/Users/*/doc.txt' }] } }, event: file('/Users/ls_user/dir/dir/doc.txt'), matches: true },
    { name: 'without a star it is an exact match (recorded)', pattern: { detail: { FileName: [{ wildcard: '' }] } }, event: file('x'), matches: false },
    { name: '\\* is the literal * character', pattern: { detail: { FileName: [{ wildcard: 'a\\*b' }] } }, event: file('a*b'), matches: true },
    { name: '\\* does not expand', pattern: { detail: { FileName: [{ wildcard: 'a\\*b' }] } }, event: file('aXb'), matches: false },
    { name: '\\\\ is the literal \\ character', pattern: { detail: { FileName: [{ wildcard: 'a\\\\*' }] } }, event: file('a\\b'), matches: true },
    { name: 'wildcards only match strings', pattern: { detail: { FileName: [{ wildcard: '*' }] } }, event: file(42 as unknown as string), matches: false },
  ]);
});

describe('$or ("Complex example with $or matching", "Or (multiple fields)")', () => {
  const documented = {
    detail: {
      $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }],
    },
  };
  const location = { detail: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] } };
  run([
    { name: 'd-count below 10 is enough (recorded)', pattern: documented, event: withDetail({ 'c-count': 0, 'd-count': 0, 'x-limit': 901.8 }), matches: true },
    { name: 'no branch holds (recorded)', pattern: documented, event: withDetail({ 'c-count': 0, 'd-count': 10, 'x-limit': 901.8 }), matches: false },
    { name: 'Location is "New York"', pattern: location, event: withDetail({ Location: 'New York', Day: 'Friday' }), matches: true },
    { name: 'Day is "Monday"', pattern: location, event: withDetail({ Location: 'Paris', Day: 'Monday' }), matches: true },
    { name: 'neither', pattern: location, event: withDetail({ Location: 'Paris', Day: 'Friday' }), matches: false },
  ]);
});
