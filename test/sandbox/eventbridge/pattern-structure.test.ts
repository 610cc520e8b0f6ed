// How patterns combine and how events are read: AND across fields and OR within a list ("Creating event
// patterns"), arrays ("Arrays in Amazon EventBridge event patterns"), the complex examples and the
// duplicate-key note of "Content filtering", nested `$or` (event-ruler's README, "The $or Primitive"), array
// consistency (event-ruler's README, "JSON Array Matching") and dot-joined paths ("Considerations when
// creating event patterns", recorded by LocalStack's AWS-validated snapshots).
import { compilePattern } from '../../../sandbox/services/eventbridge/pattern';
import { awsEvent, rulerExampleEvent, withDetail } from './events';

const matches = (pattern: unknown, event: object) => compilePattern(pattern).matches(event);

describe('fields and values', () => {
  it('ANDs the fields and ignores fields the pattern does not name', () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['pending'] } };
    expect(matches(pattern, awsEvent())).toBe(true);
    expect(matches(pattern, awsEvent({ source: 'aws.s3' }))).toBe(false);
  });

  it('needs every named field to be in the event, at the same nesting', () => {
    expect(matches({ detail: { state: ['pending'] } }, { ...awsEvent(), state: 'pending', detail: {} })).toBe(false);
  });

  it('reads field names case sensitively (recorded)', () => {
    expect(matches({ MY_KEY: ['my-value'] }, { ...awsEvent(), my_key: 'my-value' })).toBe(false);
  });

  it('does not look inside a string that holds JSON (recorded)', () => {
    expect(matches({ detail: { 'my-key': ['my-value'] } }, { ...awsEvent(), detail: '{"my-key": "my-value"}' })).toBe(false);
  });

  it('takes a pattern as JSON text, as the API does', () => {
    expect(matches('{"source": ["aws.ec2"]}', awsEvent())).toBe(true);
  });

  it('keeps the last of a key given twice ("Complex example with multiple matching", note)', () => {
    const pattern = '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
    expect(matches(pattern, withDetail({ location: 'us-east' }))).toBe(false);
    expect(matches(pattern, withDetail({ location: 'eu-west' }))).toBe(true);
  });

  it('combines prefix, anything-but and numeric ("Complex example with multiple matching")', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    expect(matches(pattern, rulerExampleEvent())).toBe(true);
    expect(matches(pattern, rulerExampleEvent({ 'x-limit': 300 }))).toBe(false);
    expect(matches(pattern, rulerExampleEvent({ state: 'initializing' }))).toBe(false);
  });

  it('ORs mixed entries of one list', () => {
    const pattern = { detail: { state: ['stopped', { prefix: 'run' }, { exists: false }] } };
    expect(matches(pattern, withDetail({ state: 'running' }))).toBe(true);
    expect(matches(pattern, withDetail({}))).toBe(true);
    expect(matches(pattern, withDetail({ state: 'pending' }))).toBe(false);
  });

  it('matches anything-but or absence on a nested DynamoDB attribute (recorded)', () => {
    const pattern = { dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } } };
    const image = (NewImage: object) => ({ ...awsEvent(), dynamodb: { NewImage } });
    expect(matches(pattern, image({ homemade: { S: 'ABCD', N: '1234' } }))).toBe(true);
    expect(matches(pattern, image({ homemade: { N: '789' } }))).toBe(true);
    expect(matches(pattern, image({ purchased: { N: '789' } }))).toBe(true);
    expect(matches(pattern, image({ homemade: { S: 'roses' } }))).toBe(false);
  });
});

describe('arrays in events', () => {
  const resources = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  const asg = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate';

  it('matches when the pattern and event arrays intersect', () => {
    expect(matches(resources, awsEvent({ resources: [asg, 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] }))).toBe(true);
  });

  it('does not match when they do not (recorded)', () => {
    expect(matches(resources, awsEvent({ resources: [asg] }))).toBe(false);
  });

  it('finds nothing in an empty array, not even null (recorded)', () => {
    expect(matches({ resources: [null] }, awsEvent({ resources: [] }))).toBe(false);
  });

  it('matches a field of any object in an array (recorded)', () => {
    const event = withDetail({ automations: [{ key1: 'value1' }, { id: 'match-does-exist' }, { key2: 'value2' }] });
    expect(matches({ detail: { automations: { id: [{ exists: true }] } } }, event)).toBe(true);
  });

  describe('array consistency (fields must come from one element of each array)', () => {
    const employees = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };

    it('matches a field of one element', () => {
      expect(matches({ employees: { firstName: ['Anna'] } }, employees)).toBe(true);
    });

    it('matches two fields of the same element', () => {
      expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees)).toBe(true);
    });

    it('does not match fields of different elements', () => {
      expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees)).toBe(false);
    });

    it('crushes nested arrays, still keeping elements apart', () => {
      const nested = { employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]] };
      expect(matches({ employees: { firstName: ['Anna'] } }, nested)).toBe(true);
      expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, nested)).toBe(false);
    });

    it('lets fields outside the array pair with any element', () => {
      const event = { team: 'core', members: [{ name: 'a', role: 'dev' }, { name: 'b', role: 'lead' }] };
      expect(matches({ team: ['core'], members: { name: ['b'], role: ['lead'] } }, event)).toBe(true);
    });
  });
});

describe('dot-joined paths ("Considerations when creating event patterns", recorded)', () => {
  it('matches a nested pattern against a key with a dot', () => {
    expect(matches({ detail: { state: { status: ['running'] } } }, withDetail({ 'state.status': 'running' }))).toBe(true);
  });

  it('matches a key with a dot against nested objects', () => {
    expect(matches({ detail: { 'state.status': ['running'] } }, withDetail({ state: { status: 'running' } }))).toBe(true);
  });

  it('does not match a path one level deeper', () => {
    expect(matches({ detail: { state: { status: ['running'] } } }, withDetail({ 'state.status': { status: 'running' } }))).toBe(false);
  });
});

describe('$or', () => {
  it('ANDs fields beside $or with each of its branches (event-ruler README, "Normal Or")', () => {
    const pattern = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] };
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matches(pattern, { source: 'aws.s3', namespace: 'AWS/ES' })).toBe(false);
  });

  it('ANDs two $or at different levels ("Parallel Or")', () => {
    const pattern = {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    };
    const compiled = compilePattern(pattern);
    expect(compiled.combinations).toBe(4);
    expect(compiled.matches({ namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } })).toBe(true);
    expect(compiled.matches({ namespace: 'AWS/EC2', detail: { source: 'aws.s3' } })).toBe(false);
  });

  it('nests $or inside a branch ("Nested Or and And")', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    };
    expect(compilePattern(pattern).combinations).toBe(4);
    expect(matches(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 999 })).toBe(false);
  });
});
