import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { Construct } from 'constructs';
import { keyDecryptViaService, queueConsume } from '../lib/grants';
import { attachRolePolicy } from '../lib/resource-policy';
import { NodeFunction, type NodeFunctionProps } from './node-function';
import type { SecurityContext } from './secure-defaults';
import { SecureQueue } from './secure-queue';

/** What a consumer function needs beyond the context every construct shares. */
export type ConsumerFunctionProps = Omit<NodeFunctionProps, 'security' | 'accountId' | 'region'>;

/** How Lambda polls a queue for a consumer. */
export interface QueueConsumptionProps {
  /** Messages per invocation: 1-10 for FIFO, 1-10000 for standard (more than 10 needs a batching window). @default 10 */
  readonly batchSize?: number;
  /** Seconds Lambda waits to fill a batch, 0-300; FIFO queues take none. @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /** Invocations this queue may run at once, 2-1000. @default up to the function's concurrency */
  readonly maxConcurrency?: number;
  /** Receives before a message moves to the dead-letter queue, 1-1000. @default 5 */
  readonly maxReceiveCount?: number;
  /** Queue visibility timeout, at least 6 × the function's timeout (Lambda's guidance for retries). @default 6 × the function's timeout */
  readonly visibilityTimeoutSeconds?: number;
}

/** Props of {@link QueueConsumer}. */
export interface QueueConsumerProps extends QueueConsumptionProps {
  /** Queue name, from the naming helper; its dead-letter queue is `<queueName>-dlq`. */
  readonly queueName: string;
  /** The function that drains the queue. */
  readonly consumer: ConsumerFunctionProps;
  /** Key for the queues and the function, log retention. */
  readonly security: SecurityContext;
  readonly accountId: string;
  readonly region: string;
  /** A FIFO queue. @default false */
  readonly fifo?: boolean;
  /** SNS topic that hears when the dead-letter queue holds messages. @default the alarm fires without notifying */
  readonly alarmTopicArn?: string;
}

/** Lambda's guidance: a queue's visibility timeout is at least six times its consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * A {@link SecureQueue} drained by a {@link NodeFunction} through an event source mapping that reports partial
 * batch failures, so one bad message is retried (and, after `maxReceiveCount`, dead-lettered) without
 * re-running the rest of its batch. The function may receive, delete and re-hide messages of this queue only,
 * and decrypt with the key only through SQS.
 */
export class QueueConsumer extends Construct {
  /** The queue and its dead-letter queue. */
  readonly queue: SecureQueue;
  /** The consumer. */
  readonly function: NodeFunction;
  /** The mapping that polls the queue. */
  readonly eventSourceMapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    validate(id, props);
    const timeout = props.consumer.timeoutSeconds ?? 10;
    this.function = new NodeFunction(this, 'function', { ...props.consumer, security: props.security, accountId: props.accountId, region: props.region });
    this.queue = new SecureQueue(this, 'queue', {
      name: props.queueName,
      security: props.security,
      accountId: props.accountId,
      fifo: props.fifo,
      maxReceiveCount: props.maxReceiveCount,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? VISIBILITY_TIMEOUT_FACTOR * timeout,
      alarmTopicArn: props.alarmTopicArn,
    });
    // Lambda checks the role when the mapping is created, so the mapping waits for this policy.
    const consume = attachRolePolicy(this, 'consume-policy', this.function.role, 'consume-queue', [
      ...queueConsume('ConsumeQueue', this.queue.arn),
      ...keyDecryptViaService('DecryptQueue', this.queue.kmsKeyArn, 'sqs', props.region),
    ]);
    this.eventSourceMapping = new LambdaEventSourceMapping(this, 'event-source', {
      eventSourceArn: this.queue.arn,
      functionName: this.function.function.functionName,
      functionResponseTypes: ['ReportBatchItemFailures'],
      batchSize: props.batchSize ?? 10,
      // FIFO mappings take no batching window at all.
      maximumBatchingWindowInSeconds: props.fifo ? undefined : (props.maxBatchingWindowSeconds ?? 0),
      scalingConfig: props.maxConcurrency === undefined ? undefined : { maximumConcurrency: props.maxConcurrency },
      dependsOn: [consume],
    });
  }
}

function validate(id: string, props: QueueConsumerProps): void {
  const problems: string[] = [];
  const timeout = props.consumer.timeoutSeconds ?? 10;
  const minimumVisibility = VISIBILITY_TIMEOUT_FACTOR * timeout;
  if (props.visibilityTimeoutSeconds !== undefined && props.visibilityTimeoutSeconds < minimumVisibility) {
    problems.push(
      `visibilityTimeoutSeconds ${props.visibilityTimeoutSeconds} is less than ${VISIBILITY_TIMEOUT_FACTOR} × the consumer's timeout (${timeout} s), ${minimumVisibility}`,
    );
  }
  const batchSize = props.batchSize ?? 10;
  const window = props.maxBatchingWindowSeconds ?? 0;
  const largestBatch = props.fifo ? 10 : 10_000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > largestBatch) {
    problems.push(`batchSize must be a whole number from 1 to ${largestBatch}${props.fifo ? ' for a FIFO queue' : ''}`);
  } else if (batchSize > 10 && window < 1) {
    problems.push('batchSize above 10 needs maxBatchingWindowSeconds of at least 1');
  }
  if (!Number.isInteger(window) || window < 0 || window > 300) problems.push('maxBatchingWindowSeconds must be a whole number from 0 to 300');
  else if (props.fifo && window > 0) problems.push('maxBatchingWindowSeconds is not supported for a FIFO queue');
  if (props.maxConcurrency !== undefined && (!Number.isInteger(props.maxConcurrency) || props.maxConcurrency < 2 || props.maxConcurrency > 1000)) {
    problems.push('maxConcurrency must be a whole number from 2 to 1000');
  }
  if (problems.length > 0) throw new Error(`QueueConsumer ${id}:\n- ${problems.join('\n- ')}`);
}
