import { EventBus, type EventBusProps } from '../../../stacks/constructs/event-bus';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, KEY_ARN, ref, REGION, resource, SECURITY, statementsOf, Workspace } from './harness';

describe('EventBus', () => {
  const workspace = new Workspace();
  const props = (overrides: Partial<EventBusProps> = {}): EventBusProps => ({
    name: 'orders-test-bus',
    security: SECURITY,
    accountId: ACCOUNT,
    region: REGION,
    ...overrides,
  });
  let doc: TerraformDocument;
  let bus: EventBus;

  beforeAll(() => {
    doc = workspace.synth((stack) => {
      bus = new EventBus(stack, 'bus', props({ archiveRetentionDays: 90, archiveEventPattern: { source: ['orders.api'] } }));
    });
  });
  afterAll(() => workspace.dispose());

  it('encrypts the bus with the key and dead-letters what it cannot encrypt', () => {
    expect(resource(doc, 'aws_cloudwatch_event_bus', 'bus/bus')).toMatchObject({
      name: 'orders-test-bus',
      kms_key_identifier: KEY_ARN,
      dead_letter_config: { arn: ref(doc, 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn') },
    });
    expect(bus.name).toBe('orders-test-bus');
    expect(bus.ruleArnPattern).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-test-bus/*`);
  });

  it('archives the matching events for the retention asked for', () => {
    expect(resource(doc, 'aws_cloudwatch_event_archive', 'bus/archive')).toMatchObject({
      name: 'orders-test-bus-archive',
      event_source_arn: ref(doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'arn'),
      retention_days: 90,
      event_pattern: '{"source":["orders.api"]}',
    });
  });

  it('lets only principals of this account put events', () => {
    const policy = resource(doc, 'aws_cloudwatch_event_bus_policy', 'bus/policy');
    expect(policy.event_bus_name).toBe(ref(doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'name'));
    expect(statementsOf(doc, policy.policy)).toEqual([
      {
        sid: 'PutEventsFromThisAccount',
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: ['events:PutEvents'],
        resources: [ref(doc, 'aws_cloudwatch_event_bus', 'bus/bus', 'arn')],
        condition: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [ACCOUNT] }],
      },
    ]);
  });

  it('shares one dead-letter queue that EventBridge may fill from this bus and its rules', () => {
    expect(resource(doc, 'aws_sqs_queue', 'bus/dead-letters/queue')).toMatchObject({ name: 'orders-test-bus-undelivered', kms_master_key_id: KEY_ARN });
    const statements = statementsOf(doc, resource(doc, 'aws_sqs_queue_policy', 'bus/dead-letters/queue-policy').policy);
    expect(statements[1]).toEqual({
      sid: 'SendFromEvents1',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
      actions: ['sqs:SendMessage'],
      resources: [ref(doc, 'aws_sqs_queue', 'bus/dead-letters/queue', 'arn')],
      condition: [
        {
          test: 'ArnLike',
          variable: 'aws:SourceArn',
          values: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-test-bus/*`, `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders-test-bus`],
        },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      ],
    });
  });

  it('complies with the anti-pattern rules', () => {
    expect(checkStack(doc)).toEqual([]);
  });

  it('archives every event for 30 days by default', () => {
    const plain = workspace.synth((stack) => {
      new EventBus(stack, 'plain', props());
    });
    const archive = resource(plain, 'aws_cloudwatch_event_archive', 'plain/archive');
    expect(archive.retention_days).toBe(30);
    expect(archive).not.toHaveProperty('event_pattern');
  });

  it('reports every invalid prop at once', () => {
    expect(() => new EventBus(workspace.stack(), 'bad', props({ name: 'default', archiveRetentionDays: -1, archiveEventPattern: { source: 'orders.api' } as never }))).toThrow(
      [
        'EventBus bad:',
        '- name "default" must be 1-256 letters, digits, . - _ and not "default"',
        '- archiveRetentionDays must be a whole number, 0 (forever) or more',
        '- archiveEventPattern.source must be an array of values or matchers, or a nested pattern',
      ].join('\n'),
    );
    expect(() => new EventBus(workspace.stack(), 'long', props({ name: 'b'.repeat(41) }))).toThrow(
      `EventBus long:\n- name "${'b'.repeat(41)}" is too long for its archive: "${'b'.repeat(41)}-archive" must fit in 48 characters`,
    );
  });
});
