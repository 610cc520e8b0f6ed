import {
  checkStack,
  checkStacks,
  LONG_TIMEOUT_TAG,
  noLambdaInvokesLambda,
  noWildcardActions,
  oneTriggerPerFunction,
  queueHasDeadLetterQueue,
  queueVisibilityCoversConsumer,
  ruleTargetRetriesAndDeadLetters,
  RULES,
  shortFunctionTimeout,
  sqsMappingReportsBatchFailures,
  type StackDocument,
} from '../../../stacks/lib/rules';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A stack document from resources and policy documents written in the test. */
function stack(resource: Resources, documents: Record<string, Record<string, unknown>[]> = {}): StackDocument {
  const data = Object.fromEntries(Object.entries(documents).map(([id, statement]) => [id, { statement }]));
  return { resource, data: { aws_iam_policy_document: data } };
}

const fn = (extra: Record<string, unknown> = {}) => ({ function_name: 'worker', role: '${aws_iam_role.worker.arn}', timeout: 10, ...extra });
const queue = (extra: Record<string, unknown> = {}) => ({
  name: 'jobs',
  visibility_timeout_seconds: 60,
  redrive_policy: JSON.stringify({ deadLetterTargetArn: '${aws_sqs_queue.jobs_dlq.arn}', maxReceiveCount: 5 }),
  ...extra,
});
const mapping = (extra: Record<string, unknown> = {}) => ({
  event_source_arn: '${aws_sqs_queue.jobs.arn}',
  function_name: '${aws_lambda_function.worker.function_name}',
  function_response_types: ['ReportBatchItemFailures'],
  ...extra,
});
const target = (extra: Record<string, unknown> = {}) => ({
  rule: '${aws_cloudwatch_event_rule.completed.name}',
  arn: '${aws_sqs_queue.jobs.arn}',
  retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 8 },
  dead_letter_config: { arn: '${aws_sqs_queue.undelivered.arn}' },
  ...extra,
});

describe('no-lambda-invokes-lambda', () => {
  const withPolicy = (actions: string[]) =>
    stack(
      {
        aws_lambda_function: { worker: fn() },
        aws_iam_role: { worker: { name: 'worker' } },
        aws_iam_role_policy: { calls: { role: '${aws_iam_role.worker.id}', policy: '${data.aws_iam_policy_document.calls.json}' } },
      },
      { calls: [{ effect: 'Allow', actions, resources: ['arn:aws:lambda:eu-west-1:111122223333:function:other'] }] },
    );

  it('flags a function role that may invoke a function, however the action is spelled', () => {
    for (const actions of [['lambda:InvokeFunction'], ['lambda:Invoke*'], ['LAMBDA:invokefunction']]) {
      expect(noLambdaInvokesLambda(withPolicy(actions))).toEqual([
        {
          rule: 'no-lambda-invokes-lambda',
          resource: 'aws_lambda_function.worker',
          message: 'aws_iam_role_policy.calls lets the function call lambda:InvokeFunction; hand work to another function through a queue, topic or bus, not a synchronous call',
        },
      ]);
    }
  });

  it('reads inline JSON policies, inline_policy blocks and attached managed policies too', () => {
    const invoke = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' }] });
    const doc = stack({
      aws_lambda_function: { worker: fn() },
      aws_iam_role: { worker: { name: 'worker', inline_policy: [{ name: 'inline', policy: invoke }] } },
      aws_iam_policy: { managed: { policy: invoke } },
      aws_iam_role_policy_attachment: { attach: { role: '${aws_iam_role.worker.name}', policy_arn: '${aws_iam_policy.managed.arn}' } },
    });
    expect(noLambdaInvokesLambda(doc).map((violation) => violation.message.split(' ')[0])).toEqual(['aws_iam_role.worker', 'aws_iam_policy.managed']);
  });

  it('passes a role that hands work over through a queue, and ignores denies', () => {
    expect(noLambdaInvokesLambda(withPolicy(['sqs:SendMessage']))).toEqual([]);
    const denied = stack(
      { aws_lambda_function: { worker: fn() }, aws_iam_role_policy: { deny: { role: '${aws_iam_role.worker.id}', policy: '${data.aws_iam_policy_document.deny.json}' } } },
      { deny: [{ effect: 'Deny', actions: ['lambda:InvokeFunction'], resources: ['*'] }] },
    );
    expect(noLambdaInvokesLambda(denied)).toEqual([]);
  });
});

describe('short-function-timeout', () => {
  it('flags a timeout above 60 s', () => {
    expect(shortFunctionTimeout(stack({ aws_lambda_function: { worker: fn({ timeout: 300 }) } }))).toEqual([
      {
        rule: 'short-function-timeout',
        resource: 'aws_lambda_function.worker',
        message: `timeout 300 s is above 60 s; shorten it or tag the function ${LONG_TIMEOUT_TAG} with the reason`,
      },
    ]);
  });

  it('passes 60 s, the 3 s default, and a long timeout tagged with its reason', () => {
    const doc = stack({
      aws_lambda_function: {
        worker: fn({ timeout: 60 }),
        defaulted: { function_name: 'defaulted' },
        report: fn({ timeout: 600, tags: { [LONG_TIMEOUT_TAG]: 'monthly report walks every order' } }),
      },
    });
    expect(shortFunctionTimeout(doc)).toEqual([]);
  });
});

describe('queue-visibility-covers-consumer', () => {
  it('flags a queue that hides messages for less than 6 × its consumer timeout', () => {
    const doc = stack({
      aws_lambda_function: { worker: fn({ timeout: 20 }) },
      aws_sqs_queue: { jobs: queue({ visibility_timeout_seconds: 100 }) },
      aws_lambda_event_source_mapping: { jobs: mapping() },
    });
    expect(queueVisibilityCoversConsumer(doc)).toEqual([
      {
        rule: 'queue-visibility-covers-consumer',
        resource: 'aws_sqs_queue.jobs',
        message: 'visibility timeout 100 s is less than 6 × the timeout of aws_lambda_function.worker (20 s); messages would be received twice while still in work',
      },
    ]);
  });

  it("uses SQS's and Lambda's defaults when the document leaves them out", () => {
    const doc = stack({
      aws_lambda_function: { worker: { function_name: 'worker', timeout: 6 } },
      aws_sqs_queue: { jobs: { name: 'jobs' } },
      aws_lambda_event_source_mapping: { jobs: mapping({ function_name: '${aws_lambda_function.worker.arn}' }) },
    });
    expect(queueVisibilityCoversConsumer(doc).map((violation) => violation.message)).toEqual([
      'visibility timeout 30 s is less than 6 × the timeout of aws_lambda_function.worker (6 s); messages would be received twice while still in work',
    ]);
  });

  it('passes exactly 6 × and skips queues of other stacks', () => {
    const doc = stack({
      aws_lambda_function: { worker: fn({ timeout: 10 }) },
      aws_sqs_queue: { jobs: queue({ visibility_timeout_seconds: 60 }) },
      aws_lambda_event_source_mapping: {
        jobs: mapping(),
        remote: mapping({ event_source_arn: '${data.terraform_remote_state.events.outputs.queue_arn}' }),
      },
    });
    expect(queueVisibilityCoversConsumer(doc)).toEqual([]);
  });
});

describe('queue-has-dead-letter-queue', () => {
  it('flags a queue without a redrive policy that nothing uses as a DLQ', () => {
    expect(queueHasDeadLetterQueue(stack({ aws_sqs_queue: { jobs: queue({ redrive_policy: undefined }) } }))).toEqual([
      {
        rule: 'queue-has-dead-letter-queue',
        resource: 'aws_sqs_queue.jobs',
        message: 'the queue has no redrive policy: a message that always fails would be retried until it expires',
      },
    ]);
  });

  it('passes queues with a redrive policy and the queues that serve as DLQs or failure destinations', () => {
    const doc = stack({
      aws_sqs_queue: {
        jobs: queue(),
        jobs_dlq: { name: 'jobs-dlq' },
        separate: { name: 'separate' },
        separate_dlq: { name: 'separate-dlq' },
        undelivered: { name: 'undelivered' },
        bus_errors: { name: 'bus-errors' },
        failed: { name: 'failed' },
        allowed: { name: 'allowed' },
      },
      aws_sqs_queue_redrive_policy: {
        separate: {
          queue_url: '${aws_sqs_queue.separate.url}',
          redrive_policy: JSON.stringify({ deadLetterTargetArn: '${aws_sqs_queue.separate_dlq.arn}', maxReceiveCount: 3 }),
        },
      },
      aws_cloudwatch_event_target: { completed: target() },
      aws_cloudwatch_event_bus: { bus: { name: 'bus', dead_letter_config: { arn: '${aws_sqs_queue.bus_errors.arn}' } } },
      aws_lambda_function_event_invoke_config: { worker: { destination_config: { on_failure: { destination: '${aws_sqs_queue.failed.arn}' } } } },
      aws_sqs_queue_redrive_allow_policy: { allowed: { queue_url: '${aws_sqs_queue.allowed.url}' } },
    });
    expect(queueHasDeadLetterQueue(doc)).toEqual([]);
  });
});

describe('sqs-mapping-reports-batch-failures', () => {
  it('flags an SQS mapping without ReportBatchItemFailures, by reference or by literal ARN', () => {
    const doc = stack({
      aws_lambda_event_source_mapping: {
        jobs: mapping({ function_response_types: undefined }),
        literal: mapping({ event_source_arn: 'arn:aws:sqs:eu-west-1:111122223333:jobs', function_response_types: [] }),
      },
    });
    expect(sqsMappingReportsBatchFailures(doc)).toEqual(
      ['jobs', 'literal'].map((id) => ({
        rule: 'sqs-mapping-reports-batch-failures',
        resource: `aws_lambda_event_source_mapping.${id}`,
        message: 'function_response_types lacks ReportBatchItemFailures: one failed message would return the whole batch to the queue',
      })),
    );
  });

  it('passes a mapping that reports them, and leaves stream mappings alone', () => {
    const doc = stack({
      aws_lambda_event_source_mapping: {
        jobs: mapping(),
        stream: mapping({ event_source_arn: '${aws_dynamodb_table.orders.stream_arn}', function_response_types: undefined }),
      },
    });
    expect(sqsMappingReportsBatchFailures(doc)).toEqual([]);
  });
});

describe('one-trigger-per-function', () => {
  it('flags a function with two triggers, naming them', () => {
    const doc = stack({
      aws_lambda_function: { worker: fn() },
      aws_lambda_event_source_mapping: { jobs: mapping() },
      aws_cloudwatch_event_target: { completed: target({ arn: '${aws_lambda_function.worker.arn}' }) },
      aws_sns_topic_subscription: { notify: { protocol: 'lambda', endpoint: '${aws_lambda_function.worker.arn}' } },
    });
    expect(oneTriggerPerFunction(doc)).toEqual([
      {
        rule: 'one-trigger-per-function',
        resource: 'aws_lambda_function.worker',
        message:
          'the function has 3 triggers (aws_lambda_event_source_mapping.jobs, aws_cloudwatch_event_target.completed, aws_sns_topic_subscription.notify); give each trigger its own function',
      },
    ]);
  });

  it('counts S3 notifications and schedules too', () => {
    const doc = stack({
      aws_lambda_function: { worker: fn() },
      aws_s3_bucket_notification: { media: { lambda_function: [{ lambda_function_arn: '${aws_lambda_function.worker.arn}', events: ['s3:ObjectCreated:*'] }] } },
      aws_scheduler_schedule: { sweep: { target: { arn: '${aws_lambda_function.worker.arn}' } } },
    });
    expect(oneTriggerPerFunction(doc).map((violation) => violation.resource)).toEqual(['aws_lambda_function.worker']);
  });

  it('passes one trigger per function, and an SQS subscription that only looks like one', () => {
    const doc = stack({
      aws_lambda_function: { worker: fn(), other: fn({ function_name: 'other' }) },
      aws_lambda_event_source_mapping: { jobs: mapping() },
      aws_cloudwatch_event_target: { completed: target({ arn: '${aws_lambda_function.other.arn}' }) },
      aws_sns_topic_subscription: { queue: { protocol: 'sqs', endpoint: '${aws_sqs_queue.jobs.arn}' } },
    });
    expect(oneTriggerPerFunction(doc)).toEqual([]);
  });
});

describe('rule-target-retries-and-dead-letters', () => {
  it('flags a target without a retry policy or a DLQ', () => {
    const doc = stack({
      aws_cloudwatch_event_target: {
        bare: { rule: 'r', arn: 'arn:aws:sqs:eu-west-1:111122223333:jobs' },
        partial: target({ retry_policy: { maximum_retry_attempts: 2 } }),
      },
    });
    expect(ruleTargetRetriesAndDeadLetters(doc)).toEqual([
      {
        rule: 'rule-target-retries-and-dead-letters',
        resource: 'aws_cloudwatch_event_target.bare',
        message: 'the target lacks a retry_policy with maximum_event_age_in_seconds and maximum_retry_attempts and a dead_letter_config',
      },
      {
        rule: 'rule-target-retries-and-dead-letters',
        resource: 'aws_cloudwatch_event_target.partial',
        message: 'the target lacks a retry_policy with maximum_event_age_in_seconds and maximum_retry_attempts',
      },
    ]);
  });

  it('passes a target with both, written as blocks or as one-element lists', () => {
    const doc = stack({
      aws_cloudwatch_event_target: {
        blocks: target(),
        lists: target({ retry_policy: [{ maximum_event_age_in_seconds: 60, maximum_retry_attempts: 0 }], dead_letter_config: [{ arn: 'arn:aws:sqs:eu-west-1:1:d' }] }),
      },
    });
    expect(ruleTargetRetriesAndDeadLetters(doc)).toEqual([]);
  });
});

describe('no-wildcard-actions', () => {
  it('flags allowed wildcards and NotAction, in documents and inline JSON', () => {
    const inline = JSON.stringify({ Statement: { Effect: 'Allow', Action: ['s3:*'], Resource: 'arn:aws:s3:::media/*' } });
    const doc = stack(
      { aws_iam_policy: { broad: { policy: inline } } },
      {
        everything: [{ effect: 'Allow', actions: ['*'], resources: ['arn:aws:sqs:eu-west-1:111122223333:jobs'] }],
        except: [{ effect: 'Allow', not_actions: ['iam:*'], resources: ['*'] }],
      },
    );
    expect(noWildcardActions(doc)).toEqual([
      { rule: 'no-wildcard-actions', resource: 'data.aws_iam_policy_document.everything', message: 'a statement allows every action of "*"; name the actions' },
      { rule: 'no-wildcard-actions', resource: 'data.aws_iam_policy_document.except', message: 'a statement allows everything except iam:* (NotAction); name the actions' },
      { rule: 'no-wildcard-actions', resource: 'aws_iam_policy.broad', message: 'a statement allows every action of "s3:*"; name the actions' },
    ]);
  });

  it("passes named actions, TLS denies and a key policy's kms:* for the account", () => {
    const doc = stack(
      { aws_kms_key: { platform: { policy: '${data.aws_iam_policy_document.key.json}' } } },
      {
        key: [{ effect: 'Allow', principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }], actions: ['kms:*'], resources: ['*'] }],
        queue: [
          { effect: 'Deny', actions: ['sqs:*'], resources: ['arn:aws:sqs:eu-west-1:111122223333:jobs'] },
          { effect: 'Allow', actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:111122223333:jobs'] },
        ],
      },
    );
    expect(noWildcardActions(doc)).toEqual([]);
  });
});

describe('checkStacks', () => {
  const bad = stack({ aws_lambda_function: { worker: fn({ timeout: 120 }) }, aws_sqs_queue: { jobs: { name: 'jobs' } } });

  it('runs every rule and names the stack of each violation', () => {
    expect(Object.keys(RULES)).toHaveLength(8);
    expect(checkStacks({ fanout: bad, events: stack({}) }).map((violation) => `${violation.rule} ${violation.resource}`)).toEqual([
      'short-function-timeout fanout/aws_lambda_function.worker',
      'queue-has-dead-letter-queue fanout/aws_sqs_queue.jobs',
    ]);
    expect(checkStacks([bad, bad])).toHaveLength(4);
    expect(checkStack({})).toEqual([]);
  });
});
