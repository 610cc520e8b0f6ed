import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { allowService, ResourcePolicy, serviceSidPart } from '../lib/resource-policy';
import { denyInsecureTransport, secureQueue, type SecurityContext } from './secure-defaults';

/** Longest a message can stay in SQS: the dead-letter queue keeps failures that long. */
const FOURTEEN_DAYS = 1_209_600;

/** Props of {@link SecureQueue}. */
export interface SecureQueueProps {
  /** Queue name without `.fifo`, from the naming helper; the dead-letter queue is `<name>-dlq`. */
  readonly name: string;
  /** Key that encrypts both queues. */
  readonly security: SecurityContext;
  /** Account that owns the services' sources in `allowSendFrom` (confused-deputy guard). */
  readonly accountId: string;
  /** Receives before a message moves to the dead-letter queue, 1-1000. @default 5 */
  readonly maxReceiveCount?: number;
  /** Seconds a received message stays hidden from other consumers, 0-43200. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Seconds the queue keeps a message, 60-1209600; its dead-letter queue always keeps them 14 days. @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** A FIFO queue (name gets `.fifo`), with content-based deduplication. @default false */
  readonly fifo?: boolean;
  /** Seconds SQS reuses a data key before asking KMS again, 60-86400. @default 300 */
  readonly dataKeyReuseSeconds?: number;
  /** SNS topic that hears when the dead-letter queue holds messages. @default the alarm fires without notifying */
  readonly alarmTopicArn?: string;
  /**
   * The queue is itself where failures land (a rule target's DLQ, a function's on-failure destination): nobody
   * consumes it, so it keeps messages 14 days and the alarm watches it, not the backup queue behind it.
   * @default false
   */
  readonly deadLetterStore?: boolean;
}

/**
 * An SQS queue with its dead-letter queue: both encrypted with the customer-managed key, both refusing any
 * request without TLS, the dead-letter queue accepting redrives from this queue only, and an alarm as soon as
 * one message lands in it. Services that deliver to the queue (SNS, EventBridge) are let in with
 * {@link SecureQueue.allowSendFrom}, one statement each, into the queue's single policy.
 */
export class SecureQueue extends Construct {
  /** The queue. */
  readonly queue: SqsQueue;
  /** Its dead-letter queue. */
  readonly dlq: SqsQueue;
  /** Queue name, with `.fifo` for a FIFO queue. */
  readonly name: string;
  /** Queue ARN. */
  readonly arn: string;
  /** Queue URL. */
  readonly url: string;
  /** Dead-letter queue ARN. */
  readonly dlqArn: string;
  /** Whether this is a FIFO queue. */
  readonly fifo: boolean;
  /** Visibility timeout of the queue, in seconds. */
  readonly visibilityTimeoutSeconds: number;
  /** The key that encrypts the queue; senders and receivers need it through SQS. */
  readonly kmsKeyArn: string;
  /** Alarm on the dead-letter queue's depth. */
  readonly dlqAlarm: CloudwatchMetricAlarm;
  /** The queue's policy document; {@link SecureQueue.allowSendFrom} adds to it. */
  readonly policy: ResourcePolicy;
  private readonly accountId: string;

  constructor(scope: Construct, id: string, props: SecureQueueProps) {
    super(scope, id);
    validate(id, props);
    this.fifo = props.fifo ?? false;
    this.accountId = props.accountId;
    this.kmsKeyArn = props.security.kmsKeyArn;
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? 30;
    const suffix = this.fifo ? '.fifo' : '';
    const fifoSettings = this.fifo ? { fifoQueue: true, contentBasedDeduplication: true } : {};
    const dataKeyReuse = props.dataKeyReuseSeconds ?? 300;

    this.dlq = new SqsQueue(
      this,
      'dlq',
      secureQueue(
        { name: `${props.name}-dlq${suffix}`, messageRetentionSeconds: FOURTEEN_DAYS, kmsDataKeyReusePeriodSeconds: dataKeyReuse, ...fifoSettings },
        props.security,
      ),
    );
    this.queue = new SqsQueue(
      this,
      'queue',
      secureQueue(
        {
          name: `${props.name}${suffix}`,
          visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
          messageRetentionSeconds: props.messageRetentionSeconds ?? (props.deadLetterStore ? FOURTEEN_DAYS : 345_600),
          kmsDataKeyReusePeriodSeconds: dataKeyReuse,
          redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.dlq.arn, maxReceiveCount: props.maxReceiveCount ?? 5 }),
          ...fifoSettings,
        },
        props.security,
      ),
    );
    // A separate resource: inline on the DLQ it would reference the queue that already references the DLQ.
    new SqsQueueRedriveAllowPolicy(this, 'dlq-redrive-allow', {
      queueUrl: this.dlq.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });
    this.name = `${props.name}${suffix}`;
    this.arn = this.queue.arn;
    this.url = this.queue.url;
    this.dlqArn = this.dlq.arn;

    this.policy = new ResourcePolicy(this, 'policy', [denyInsecureTransport('DenyInsecureTransport', ['sqs:*'], [this.arn])]);
    new SqsQueuePolicy(this, 'queue-policy', { queueUrl: this.queue.url, policy: this.policy.json });
    const dlqPolicy = new ResourcePolicy(this, 'dlq-policy', [denyInsecureTransport('DenyInsecureTransport', ['sqs:*'], [this.dlqArn])]);
    new SqsQueuePolicy(this, 'dlq-queue-policy', { queueUrl: this.dlq.url, policy: dlqPolicy.json });

    const alarmActions = props.alarmTopicArn ? [props.alarmTopicArn] : [];
    const watched = props.deadLetterStore ? this.queue : this.dlq;
    this.dlqAlarm = new CloudwatchMetricAlarm(this, 'dlq-alarm', {
      alarmName: props.deadLetterStore ? `${props.name}${suffix}-not-empty` : `${props.name}-dlq${suffix}-not-empty`,
      alarmDescription: props.deadLetterStore
        ? `Messages that could not be delivered are waiting in ${this.name}`
        : `Messages that ${this.name} could not process are waiting in its dead-letter queue`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: watched.name },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      treatMissingData: 'notBreaching',
      alarmActions,
      okActions: alarmActions,
    });
  }

  /**
   * Lets an AWS service send to the queue on behalf of the given sources of this account, e.g.
   * `('sns.amazonaws.com', topicArn)` or `('events.amazonaws.com', ruleArn)`. A role (API Gateway's
   * integration role, a function's role) needs no statement here: its IAM grant is enough in this account.
   */
  allowSendFrom(servicePrincipal: string, sourceArn: string | readonly string[]): void {
    const sourceArns = typeof sourceArn === 'string' ? [sourceArn] : [...sourceArn];
    const sid = `SendFrom${serviceSidPart(servicePrincipal)}${this.policy.sids.length}`;
    this.policy.add(allowService(sid, { service: servicePrincipal, sourceArns, sourceAccount: this.accountId }, ['sqs:SendMessage'], [this.arn]));
  }
}

function validate(id: string, props: SecureQueueProps): void {
  const problems: string[] = [];
  const longestName = `${props.name}-dlq${props.fifo ? '.fifo' : ''}`;
  if (!/^[a-zA-Z0-9_-]+$/.test(props.name)) problems.push(`name "${props.name}" may only use letters, digits, - and _`);
  else if (longestName.length > 80) problems.push(`name "${props.name}" is too long: "${longestName}" must fit in 80 characters`);
  const wholeIn = (value: number | undefined, low: number, high: number) => value === undefined || (Number.isInteger(value) && value >= low && value <= high);
  if (!wholeIn(props.maxReceiveCount, 1, 1000)) problems.push('maxReceiveCount must be a whole number from 1 to 1000');
  if (!wholeIn(props.visibilityTimeoutSeconds, 0, 43_200)) problems.push('visibilityTimeoutSeconds must be a whole number from 0 to 43200');
  if (!wholeIn(props.messageRetentionSeconds, 60, FOURTEEN_DAYS)) problems.push(`messageRetentionSeconds must be a whole number from 60 to ${FOURTEEN_DAYS}`);
  if (!wholeIn(props.dataKeyReuseSeconds, 60, 86_400)) problems.push('dataKeyReuseSeconds must be a whole number from 60 to 86400');
  if (props.alarmTopicArn !== undefined && !Token.isUnresolved(props.alarmTopicArn) && !props.alarmTopicArn.startsWith('arn:')) {
    problems.push(`alarmTopicArn "${props.alarmTopicArn}" is not an ARN`);
  }
  if (problems.length > 0) throw new Error(`SecureQueue ${id}:\n- ${problems.join('\n- ')}`);
}
