// EventBridge events as the EventBridge User Guide prints them, for the pattern and transformer tests.

/** An EventBridge event envelope. */
export interface EventBridgeEvent extends Record<string, unknown> {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: unknown[];
  detail: Record<string, unknown>;
}

/** An event with the envelope fields filled in the way AWS fills them; override any of them. */
export function awsEvent(overrides: Partial<EventBridgeEvent> = {}): EventBridgeEvent {
  return {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '123456789012',
    time: '2015-11-11T21:29:54Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
    detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
    ...overrides,
  };
}

/** An event whose `detail` is the given object, the rest of the envelope as AWS fills it. */
export function withDetail(detail: Record<string, unknown>, overrides: Partial<EventBridgeEvent> = {}): EventBridgeEvent {
  return awsEvent({ ...overrides, detail });
}

/** The EC2 event of "Amazon EventBridge input transformation" (its input transformer examples use it). */
export function transformerDocEvent(): EventBridgeEvent {
  return awsEvent({ detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' } });
}

/** The Auto Scaling event of "Matching null values and empty strings". */
export function autoScalingLaunchEvent(): EventBridgeEvent {
  return awsEvent({
    id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    time: '2015-11-11T21:31:47Z',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  });
}

/** The example event of event-ruler's README ("Ruler by Example"), which the content-filtering examples use. */
export function rulerExampleEvent(detail: Record<string, unknown> = {}): EventBridgeEvent {
  return awsEvent({
    id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
    account: '012345679012',
    time: '2017-10-02T16:24:49Z',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
    detail: {
      'c-count': 5,
      'd-count': 3,
      'x-limit': 301.8,
      'source-ip': '10.0.0.33',
      'instance-id': 'i-000000aaaaaa00000',
      state: 'running',
      ...detail,
    },
  });
}
