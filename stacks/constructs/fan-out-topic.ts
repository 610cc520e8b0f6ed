import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { patternJson, patternShapeProblems, type EventPattern } from '../lib/event-pattern';
import { keyEncryptViaService, queueSend } from '../lib/grants';
import { allowService, attachRolePolicy, ResourcePolicy, serviceSidPart } from '../lib/resource-policy';
import type { PublishTarget } from './event-consumer';
import type { NodeFunction } from './node-function';
import { QueueConsumer, type ConsumerFunctionProps, type QueueConsumptionProps } from './queue-consumer';
import { denyInsecureTransport, secureTopic, type SecurityContext } from './secure-defaults';
import { SecureQueue } from './secure-queue';

/** A service allowed to publish for one source, e.g. `events.amazonaws.com` for a rule. */
export interface TopicPublisher {
  /** Service principal. */
  readonly service: string;
  /** ARN of the rule, bucket... the service publishes for. */
  readonly sourceArn: string;
}

/** Props of {@link FanOutTopic}. */
export interface FanOutTopicProps {
  /** Topic name, from the naming helper. */
  readonly name: string;
  /** Key for the topic and every queue and function made for it; log retention. */
  readonly security: SecurityContext;
  readonly accountId: string;
  readonly region: string;
  /** Services that may publish from the start; more with {@link FanOutTopic.allowPublishFrom}. @default none */
  readonly publishers?: readonly TopicPublisher[];
  /** SNS topic that hears when a dead-letter queue made here holds messages. @default alarms fire without notifying */
  readonly alarmTopicArn?: string;
}

/** Which part of a message a filter policy reads. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A filter on a subscription. */
export interface SubscriptionFilter {
  /** Only messages matching this policy are delivered. @default every message */
  readonly filterPolicy?: EventPattern;
  /** What the policy reads: the body (events from EventBridge carry no attributes) or the message attributes. @default 'MessageBody' */
  readonly filterPolicyScope?: FilterPolicyScope;
}

/** One queue subscribed to the topic. */
export interface FanOutQueueOptions extends SubscriptionFilter, QueueConsumptionProps {
  /** Queue name, from the naming helper; its dead-letter queue is `<queueName>-dlq`. */
  readonly queueName: string;
  /** A function that drains the queue; without one the queue is left for a consumer wired elsewhere. @default none */
  readonly consumer?: ConsumerFunctionProps;
}

/** A function subscribed directly to the topic. */
export interface LambdaSubscriptionOptions extends SubscriptionFilter {
  /** Queue for invocations that still fail after Lambda's two retries. @default a new SecureQueue `<function name>-failed` */
  readonly failureQueue?: SecureQueue;
}

/** What {@link FanOutTopic.addQueue} built. */
export interface FanOutQueue {
  /** The subscribed queue. */
  readonly queue: SecureQueue;
  /** Its consumer, when one was asked for. */
  readonly consumer?: QueueConsumer;
  /** The subscription, with raw delivery and the filter. */
  readonly subscription: SnsTopicSubscription;
}

/**
 * An SNS topic encrypted with the customer-managed key whose policy refuses non-TLS publishing and lets in
 * only the named services for the named sources (a rule, a bucket). Subscribers are SQS queues with raw
 * message delivery and a filter policy each ({@link FanOutTopic.addQueue}, optionally with a consumer), or
 * functions subscribed directly ({@link FanOutTopic.addLambdaSubscription}).
 */
export class FanOutTopic extends Construct implements PublishTarget {
  /** The topic. */
  readonly topic: SnsTopic;
  /** Topic ARN. */
  readonly arn: string;
  /** Topic name. */
  readonly name: string;
  /** The topic's policy resource (S3 checks it when a notification is configured). */
  readonly policyResource: SnsTopicPolicy;
  /** Queues added with {@link FanOutTopic.addQueue}, by id. */
  readonly queues: Record<string, FanOutQueue> = {};
  private readonly props: FanOutTopicProps;
  private readonly policy: ResourcePolicy;

  constructor(scope: Construct, id: string, props: FanOutTopicProps) {
    super(scope, id);
    validate(id, props);
    this.props = props;
    this.name = props.name;
    this.topic = new SnsTopic(this, 'topic', secureTopic({ name: props.name }, props.security));
    this.arn = this.topic.arn;
    this.policy = new ResourcePolicy(this, 'policy', [denyInsecureTransport('DenyInsecureTransport', ['sns:Publish'], [this.arn])]);
    this.policyResource = new SnsTopicPolicy(this, 'topic-policy', { arn: this.arn, policy: this.policy.json });
    for (const publisher of props.publishers ?? []) this.allowPublishFrom(publisher.service, publisher.sourceArn);
  }

  /** Lets an AWS service publish on behalf of one source of this account, e.g. `('s3.amazonaws.com', bucketArn)`. */
  allowPublishFrom(servicePrincipal: string, sourceArn: string): void {
    const sid = `PublishFrom${serviceSidPart(servicePrincipal)}${this.policy.sids.length}`;
    this.policy.add(allowService(sid, { service: servicePrincipal, sourceArns: [sourceArn], sourceAccount: this.props.accountId }, ['sns:Publish'], [this.arn]));
  }

  /** Subscribes a new queue (and its consumer, if given) with raw message delivery and the filter policy. */
  addQueue(id: string, options: FanOutQueueOptions): FanOutQueue {
    const problems = filterProblems(options);
    if (this.queues[id]) problems.unshift(`a queue with id ${id} was already added`);
    const pollingSettings = (['batchSize', 'maxBatchingWindowSeconds', 'maxConcurrency'] as const).filter((key) => options[key] !== undefined);
    if (!options.consumer && pollingSettings.length > 0) problems.push(`${pollingSettings.join(', ')}: polling settings need a consumer`);
    if (problems.length > 0) throw new Error(`FanOutTopic ${this.node.id} queue ${id}:\n- ${problems.join('\n- ')}`);
    const shared = { security: this.props.security, accountId: this.props.accountId, alarmTopicArn: this.props.alarmTopicArn };
    let consumer: QueueConsumer | undefined;
    let queue: SecureQueue;
    if (options.consumer) {
      const { queueName, consumer: fn, filterPolicy: _policy, filterPolicyScope: _scope, ...consumption } = options;
      consumer = new QueueConsumer(this, id, { ...shared, ...consumption, region: this.props.region, queueName, consumer: fn });
      queue = consumer.queue;
    } else {
      queue = new SecureQueue(this, id, {
        ...shared,
        name: options.queueName,
        maxReceiveCount: options.maxReceiveCount,
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      });
    }
    queue.allowSendFrom('sns.amazonaws.com', this.arn);
    const subscription = new SnsTopicSubscription(this, `${id}-subscription`, {
      topicArn: this.arn,
      protocol: 'sqs',
      endpoint: queue.arn,
      rawMessageDelivery: true,
      ...filterSettings(options),
    });
    const added = { queue, consumer, subscription };
    this.queues[id] = added;
    return added;
  }

  /**
   * Subscribes a function directly: SNS invokes it asynchronously (with a permission for this topic only), and
   * invocations that still fail after Lambda's retries go to a failure queue instead of being dropped.
   */
  addLambdaSubscription(id: string, fn: NodeFunction, options: LambdaSubscriptionOptions = {}): SnsTopicSubscription {
    const problems = filterProblems(options);
    if (problems.length > 0) throw new Error(`FanOutTopic ${this.node.id} subscription ${id}:\n- ${problems.join('\n- ')}`);
    new LambdaPermission(this, `${id}-permission`, {
      statementId: 'AllowSnsTopic',
      action: 'lambda:InvokeFunction',
      functionName: fn.function.functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: this.arn,
    });
    const failures =
      options.failureQueue ??
      new SecureQueue(this, `${id}-failures`, {
        name: `${fn.name}-failed`,
        deadLetterStore: true,
        security: this.props.security,
        accountId: this.props.accountId,
        alarmTopicArn: this.props.alarmTopicArn,
      });
    const grant = attachRolePolicy(this, `${id}-failure-policy`, fn.role, 'send-failed-notifications', [
      ...queueSend('SendFailedNotifications', failures.arn),
      ...keyEncryptViaService('EncryptFailedNotifications', failures.kmsKeyArn, 'sqs', this.props.region),
    ]);
    new LambdaFunctionEventInvokeConfig(this, `${id}-async-failures`, {
      functionName: fn.function.functionName,
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: failures.arn } },
      dependsOn: [grant],
    });
    return new SnsTopicSubscription(this, `${id}-subscription`, {
      topicArn: this.arn,
      protocol: 'lambda',
      endpoint: fn.arn,
      ...filterSettings(options),
    });
  }
}

function filterSettings(filter: SubscriptionFilter): { filterPolicy?: string; filterPolicyScope?: string } {
  if (!filter.filterPolicy) return {};
  return { filterPolicy: patternJson(filter.filterPolicy), filterPolicyScope: filter.filterPolicyScope ?? 'MessageBody' };
}

function filterProblems(filter: SubscriptionFilter): string[] {
  if (filter.filterPolicy === undefined) {
    return filter.filterPolicyScope === undefined ? [] : ['filterPolicyScope without a filterPolicy has nothing to scope'];
  }
  const problems = patternShapeProblems(filter.filterPolicy, 'filterPolicy');
  if (problems.length === 0 && (filter.filterPolicyScope ?? 'MessageBody') === 'MessageAttributes') {
    for (const [name, value] of Object.entries(filter.filterPolicy)) {
      if (!Array.isArray(value)) problems.push(`filterPolicy.${name}: message attributes are flat, so each must be an array of values or matchers`);
    }
  }
  return problems;
}

function validate(id: string, props: FanOutTopicProps): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(props.name)) problems.push(`name "${props.name}" must be 1-256 letters, digits, - or _`);
  for (const publisher of props.publishers ?? []) {
    if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(publisher.service)) problems.push(`publishers: "${publisher.service}" is not a service principal`);
  }
  if (problems.length > 0) throw new Error(`FanOutTopic ${id}:\n- ${problems.join('\n- ')}`);
}
