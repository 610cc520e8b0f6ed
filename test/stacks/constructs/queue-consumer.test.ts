import { QueueConsumer, type QueueConsumerProps } from '../../../stacks/constructs/queue-consumer';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, idOf, KEY_ARN, ref, REGION, resource, SECURITY, statementsOf, Workspace } from './harness';

describe('QueueConsumer', () => {
  const workspace = new Workspace();
  const props = (overrides: Partial<QueueConsumerProps> = {}): QueueConsumerProps => ({
    queueName: 'orders-test-audit',
    consumer: workspace.fn('qc-test-audit', { timeoutSeconds: 20 }),
    security: SECURITY,
    accountId: ACCOUNT,
    region: REGION,
    ...overrides,
  });
  let doc: TerraformDocument;

  beforeAll(() => {
    doc = workspace.synth((stack) => {
      new QueueConsumer(stack, 'audit', props({ batchSize: 25, maxBatchingWindowSeconds: 5, maxConcurrency: 4, maxReceiveCount: 3 }));
    });
  });
  afterAll(() => workspace.dispose());

  it('maps the queue to the function with partial batch failures, batching and a concurrency cap', () => {
    const mapping = resource(doc, 'aws_lambda_event_source_mapping', 'audit/event-source');
    expect(mapping).toMatchObject({
      event_source_arn: ref(doc, 'aws_sqs_queue', 'audit/queue/queue', 'arn'),
      function_name: ref(doc, 'aws_lambda_function', 'audit/function/function', 'function_name'),
      function_response_types: ['ReportBatchItemFailures'],
      batch_size: 25,
      maximum_batching_window_in_seconds: 5,
      scaling_config: { maximum_concurrency: 4 },
    });
    // Lambda checks the role's permissions when the mapping is created.
    expect(mapping.depends_on).toEqual([`aws_iam_role_policy.${idOf(doc, 'aws_iam_role_policy', 'audit/consume-policy')}`]);
  });

  it('sets the visibility timeout to 6 × the function timeout', () => {
    expect(resource(doc, 'aws_lambda_function', 'audit/function/function')).toMatchObject({ function_name: 'qc-test-audit', timeout: 20 });
    expect(resource(doc, 'aws_sqs_queue', 'audit/queue/queue')).toMatchObject({
      name: 'orders-test-audit',
      visibility_timeout_seconds: 120,
      redrive_policy: JSON.stringify({ deadLetterTargetArn: ref(doc, 'aws_sqs_queue', 'audit/queue/dlq', 'arn'), maxReceiveCount: 3 }),
    });
  });

  it('lets the function drain exactly this queue and decrypt only through SQS', () => {
    const policy = resource(doc, 'aws_iam_role_policy', 'audit/consume-policy');
    expect(policy).toMatchObject({ name: 'consume-queue', role: ref(doc, 'aws_iam_role', 'audit/function/role/role', 'id') });
    expect(statementsOf(doc, policy.policy)).toEqual([
      {
        sid: 'ConsumeQueue',
        effect: 'Allow',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
        resources: [ref(doc, 'aws_sqs_queue', 'audit/queue/queue', 'arn')],
      },
      {
        sid: 'DecryptQueue',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [KEY_ARN],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${REGION}.amazonaws.com`] }],
      },
    ]);
  });

  it('complies with the anti-pattern rules', () => {
    expect(checkStack(doc)).toEqual([]);
  });

  it('leaves the batching window out for a FIFO queue', () => {
    const fifo = workspace.synth((stack) => {
      new QueueConsumer(stack, 'ordered', props({ queueName: 'orders-test-ordered', consumer: workspace.fn('qc-test-ordered'), fifo: true }));
    });
    expect(resource(fifo, 'aws_sqs_queue', 'ordered/queue/queue')).toMatchObject({ name: 'orders-test-ordered.fifo', visibility_timeout_seconds: 60 });
    expect(resource(fifo, 'aws_lambda_event_source_mapping', 'ordered/event-source')).not.toHaveProperty('maximum_batching_window_in_seconds');
  });

  it('reports every invalid prop at once', () => {
    expect(
      () =>
        new QueueConsumer(
          workspace.stack(),
          'bad',
          props({ visibilityTimeoutSeconds: 60, batchSize: 20, maxBatchingWindowSeconds: 301, maxConcurrency: 1 }),
        ),
    ).toThrow(
      [
        'QueueConsumer bad:',
        "- visibilityTimeoutSeconds 60 is less than 6 × the consumer's timeout (20 s), 120",
        '- maxBatchingWindowSeconds must be a whole number from 0 to 300',
        '- maxConcurrency must be a whole number from 2 to 1000',
      ].join('\n'),
    );
    expect(() => new QueueConsumer(workspace.stack(), 'fifo', props({ fifo: true, batchSize: 20, maxBatchingWindowSeconds: 2 }))).toThrow(
      [
        'QueueConsumer fifo:',
        '- batchSize must be a whole number from 1 to 10 for a FIFO queue',
        '- maxBatchingWindowSeconds is not supported for a FIFO queue',
      ].join('\n'),
    );
    expect(() => new QueueConsumer(workspace.stack(), 'window', props({ batchSize: 100 }))).toThrow(
      'QueueConsumer window:\n- batchSize above 10 needs maxBatchingWindowSeconds of at least 1',
    );
  });
});
