import { Sandbox } from '../../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../../sandbox/model/platform-model';
import { eventBridgeAttributes, eventBridgeService, readTopology } from '../../../../sandbox/services/eventbridge';
import { BUS, BUS_ARN, eventsStack, startEventBridgeSandbox, tempDir, writePlatform } from './fixture';

const dirs: { cleanup: () => void }[] = [];

afterAll(() => {
  for (const dir of dirs) dir.cleanup();
});

function model(stack: Record<string, unknown> = eventsStack()): PlatformModel {
  const out = tempDir('eb-topology-');
  dirs.push(out);
  const platform = new PlatformModel(writePlatform(out.path, stack));
  for (const [type, provider] of Object.entries(eventBridgeAttributes())) platform.registerAttributes(type, provider);
  return platform;
}

describe('after-apply attributes', () => {
  it('are the ARNs and ids the AWS provider reports', () => {
    const platform = model();
    const output = (name: string) => platform.output('events', name);
    expect(output('bus_arn')).toBe(BUS_ARN);
    expect(output('rule_arn')).toBe(`arn:aws:events:eu-west-1:111122223333:rule/${BUS}/order-completed`);
    expect(output('rule_id')).toBe(`${BUS}|order-completed`);
    expect(output('default_rule_id')).toBe('audit');
    expect(output('default_rule_arn')).toBe('arn:aws:events:eu-west-1:111122223333:rule/audit');
    expect(output('target_id')).toBe(`${BUS}-order-completed-loyalty`);
    expect(output('default_target_id')).toBe('audit-audit');
    expect(output('archive_arn')).toBe('arn:aws:events:eu-west-1:111122223333:archive/orders-archive');
    expect(output('schedule_arn')).toBe('arn:aws:scheduler:eu-west-1:111122223333:schedule/ops/republish-outbox');
    expect(output('schedule_id')).toBe('ops/republish-outbox');
    expect(output('group_arn')).toBe('arn:aws:scheduler:eu-west-1:111122223333:schedule-group/ops');
  });

  it('give a rule without a name a stable generated one, as Terraform generates one', () => {
    const stack = eventsStack() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    delete stack.resource.aws_cloudwatch_event_rule?.audit?.name;
    (stack.resource.aws_cloudwatch_event_rule?.audit as Record<string, unknown>).name_prefix = 'audit-';
    const first = readTopology(model(stack)).rules.find((rule) => rule.address.endsWith('.audit'));
    const second = readTopology(model(stack)).rules.find((rule) => rule.address.endsWith('.audit'));
    expect(first?.name).toMatch(/^audit-\d{26}$/);
    expect(second?.name).toBe(first?.name);
    expect(first?.targets.map((target) => target.id)).toEqual(['audit']);
  });
});

describe('what AWS would refuse at apply', () => {
  it('is reported all at once', () => {
    const stack = eventsStack() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const rules = stack.resource.aws_cloudwatch_event_rule as Record<string, Record<string, unknown>>;
    const targets = stack.resource.aws_cloudwatch_event_target as Record<string, Record<string, unknown>>;
    (rules.completed as Record<string, unknown>).event_pattern = '{"source": []}';
    rules.scheduled_on_custom = { name: 'scheduled', event_bus_name: BUS, schedule_expression: 'rate(5 minute)' };
    targets.orphan = { rule: 'nope', target_id: 'orphan', arn: 'arn:aws:sqs:eu-west-1:111122223333:q' };
    (targets.notifications as Record<string, unknown>).input = '{"fixed":true}';
    (targets.loyalty as Record<string, unknown>).retry_policy = { maximum_event_age_in_seconds: 10, maximum_retry_attempts: 200 };
    const error = (() => {
      try {
        readTopology(model(stack));
        return undefined;
      } catch (thrown) {
        return (thrown as Error).message;
      }
    })();
    expect(error?.split('\n')).toEqual([
      "The platform's EventBridge resources cannot run:",
      '- events:aws_cloudwatch_event_rule.completed: Event pattern is not valid. Reason: Empty arrays are not allowed',
      '- events:aws_cloudwatch_event_rule.scheduled_on_custom: ScheduleExpression is supported only on the default event bus',
      '- events:aws_cloudwatch_event_rule.scheduled_on_custom: rate(5 minute): use the singular unit for 1 and the plural otherwise (rate(1 minute), rate(5 minutes))',
      '- events:aws_cloudwatch_event_target.loyalty: retry_policy.maximum_event_age_in_seconds must be 60 to 86400',
      '- events:aws_cloudwatch_event_target.loyalty: retry_policy.maximum_retry_attempts must be 0 to 185',
      '- events:aws_cloudwatch_event_target.notifications: Only one of Input, InputPath, or InputTransformer must be provided for target notifications-topic.',
      '- events:aws_cloudwatch_event_target.orphan: rule nope does not exist on event bus default',
    ]);
  });
});

describe('the service in the sandbox', () => {
  it('runs or accepts every EventBridge and Scheduler type', () => {
    const platform = model();
    const sandbox = new Sandbox({ model: platform, services: [eventBridgeService({ port: 0 })], sink: () => undefined });
    const coverage = Object.fromEntries(sandbox.coverage().map((line) => [line.type, `${line.status}: ${line.detail}`]));
    expect(coverage).toMatchObject({
      aws_cloudwatch_event_bus: 'runs: eventbridge',
      aws_cloudwatch_event_rule: 'runs: eventbridge',
      aws_cloudwatch_event_target: 'runs: eventbridge',
      aws_cloudwatch_event_archive: 'runs: eventbridge',
      aws_scheduler_schedule: 'runs: eventbridge',
      aws_cloudwatch_event_bus_policy: 'accepted: bus policies are not enforced: every local caller may put events on every bus',
      aws_scheduler_schedule_group: 'accepted: schedule groups only name schedules; their schedules run',
    });
  });

  it('describes its endpoint, buses, rules with targets, archives and schedules', async () => {
    const out = tempDir('eb-describe-out-');
    const data = tempDir('eb-describe-data-');
    dirs.push(out, data);
    const env = await startEventBridgeSandbox(writePlatform(out.path), data.path);
    try {
      const lines = env.sandbox.describe();
      expect(lines[0]).toBe(`EventBridge ${env.endpoint}  (AWS_ENDPOINT_URL_EVENTBRIDGE; bus policies accepted, not enforced)`);
      expect(lines).toContain(`  bus ${BUS} ${BUS_ARN}`);
      expect(lines).toContain('    rule heartbeat (enabled, rate(1 minute))');
      expect(lines).toContain('      -> loyalty: lambda arn:aws:lambda:eu-west-1:111122223333:function:award-loyalty-points (DLQ arn:aws:sqs:eu-west-1:111122223333:rule-targets-dlq)');
      expect(lines).toContain('  archive orders-archive of orders-test-bus (0 events, retention 7 days)');
      expect(lines.some((line) => /^ {2}schedule ops\/republish-outbox rate\(1 minute\) \(next .+\) -> lambda /.test(line))).toBe(true);
      expect(lines).toContain('  schedule default/paused rate(1 minute) (disabled) -> lambda arn:aws:lambda:eu-west-1:111122223333:function:paused');
    } finally {
      await env.stop();
    }
  });
});
