import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../../core/logger';
import type { SandboxContext, SandboxService } from '../../core/service';
import type { PlatformModel } from '../../model/platform-model';
import { endpointCapability, EVENTBRIDGE_PUBLISHER, SNS_PUBLISHER, SQS_SENDER, type EventPublisher, type PutEventsEntry, type QueueSender, type TopicPublisher } from '../capabilities';
import { LAMBDA_INVOKER, type LambdaInvoker } from '../lambda/contracts';
import { messagingAttributes } from './attributes';
import { FAUXQS_ACCOUNT, loadFauxqs, type FauxqsApp, type FauxqsQueue, type FauxqsS3Store, type FauxqsSnsStore, type FauxqsSqsStore } from './fauxqs';
import { findQueue, MESSAGING_INSPECT, messagingInspector } from './inspect';
import { s3Changes, snsPublications } from './observe';
import { QueuePoller, type PollerTiming } from './queue-poller';
import {
  queueUrl,
  readBuckets,
  readMappings,
  readNotifications,
  readQueues,
  readRedrivePolicies,
  readSubscriptions,
  readTopics,
  type BucketSpec,
  type MappingSpec,
  type NotificationSpec,
  type QueueSpec,
  type SubscriptionSpec,
  type TopicSpec,
} from './resources';
import { S3Notifier, Sequencer } from './s3-notifications';
import { SnsLambdaDelivery } from './sns-lambda';

/** Options of {@link messagingService}. */
export interface MessagingServiceOptions {
  /** Port tried first for the SQS, SNS and S3 endpoint; another free one is used when it is taken. @default 4566 */
  readonly port?: number;
  /** WaitTimeSeconds of the event source mappings' receives (long polling, answered as soon as a message arrives). @default 20 */
  readonly waitTimeSeconds?: number;
  /** Pause between receives while a batching window fills, after an empty short poll and after an error. @default 1000 */
  readonly pollIntervalMs?: number;
  /** Batches a mapping without `scaling_config.maximum_concurrency` has in flight at once. @default 5 */
  readonly defaultConcurrency?: number;
}

/** Resource types that need nothing locally, with why. */
export const ACCEPTED_MESSAGING_RESOURCES: Readonly<Record<string, string>> = {
  aws_sqs_queue_policy: 'queue policies are not enforced: every local caller may send and receive',
  aws_sqs_queue_redrive_allow_policy: 'any local queue may use any other as its dead-letter queue',
  aws_sns_topic_policy: 'topic policies are not enforced: every local caller (S3, EventBridge, functions) may publish',
  aws_s3_bucket_public_access_block: 'nothing is public locally: the endpoint answers on the sandbox host only',
  aws_s3_bucket_server_side_encryption_configuration: 'objects are kept in memory, unencrypted',
  aws_s3_bucket_versioning: 'fauxqs keeps one version per key: no version ids, no ListObjectVersions',
  aws_s3_bucket_ownership_controls: 'no ACLs locally: the sandbox credentials own every object',
  aws_s3_bucket_policy: 'bucket policies are not enforced locally; synth tests check them',
  aws_s3_bucket_lifecycle_configuration: 'objects live only as long as the sandbox runs, so no rule comes due',
};

const CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

type FauxqsStores = { sqsStore: FauxqsSqsStore; snsStore: FauxqsSnsStore; s3Store: FauxqsS3Store };

/** The synthesized resources the service runs. */
interface Platform {
  readonly queues: readonly QueueSpec[];
  readonly redrives: ReturnType<typeof readRedrivePolicies>;
  readonly topics: readonly TopicSpec[];
  readonly subscriptions: readonly SubscriptionSpec[];
  readonly buckets: readonly BucketSpec[];
  readonly notifications: readonly NotificationSpec[];
  readonly mappings: readonly MappingSpec[];
}

/** What a started service holds. */
interface Running {
  readonly endpoint: string;
  /** fauxqs's version. */
  readonly version: string;
  readonly app: FauxqsApp;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly pollers: readonly QueuePoller[];
  readonly platform: Platform;
  /** Notifications and SNS → Lambda deliveries under way; stop waits for them. */
  readonly deliveries: Set<Promise<void>>;
}

/**
 * SQS, SNS and S3 on one local endpoint: fauxqs runs in process, holding the platform's queues (with their
 * dead-letter queues), topics, subscriptions and buckets, and this service adds what fauxqs lacks:
 * - SNS subscriptions with the `lambda` protocol (filter policy applied, asynchronous invocation);
 * - S3 event notifications to SNS, SQS and Lambda (event types, prefix and suffix) and to EventBridge;
 * - Lambda event source mappings on SQS queues (batch size, batching window, partial batch responses,
 *   maximum concurrency; a failed message reaches the queue's DLQ after maxReceiveCount receives).
 * It publishes the endpoint for SDK clients (`endpoint.SQS`, `.SNS`, `.S3`), a queue sender, a topic
 * publisher and an inspector for tests.
 *
 * State is in memory: unlike DynamoDB's tables, messages and objects do not survive a restart of the sandbox.
 * Where else it departs from AWS:
 * - queue URLs name the local endpoint (`http://127.0.0.1:4566/<account>/<name>`); S3 clients use path-style
 *   URLs (the SDK does so by itself for an IP endpoint);
 * - queue, topic, bucket policies and encryption are accepted, not enforced; message retention is not applied;
 * - resources created at run time through the SDK get fauxqs's account `000000000000`;
 * - S3 sends no `s3:TestEvent` and no events for versioning, tagging, ACLs, restores or lifecycle;
 * - SNS delivers to SQS and Lambda only; deliveries to Lambda are not retried;
 * - an event source mapping's filter criteria are not applied, and only SQS sources are polled.
 */
export function messagingService(options: MessagingServiceOptions = {}): SandboxService {
  let running: Running | undefined;
  let startedEndpoint: string | undefined;
  const endpoint = () => startedEndpoint ?? `http://127.0.0.1:${options.port ?? 4566}`;

  const stop = async () => {
    const current = running;
    running = undefined;
    if (!current) return;
    await Promise.all(current.pollers.map((poller) => poller.stop()));
    // A delivery can start another (S3 → SNS → Lambda); wait until none is left.
    while (current.deliveries.size > 0) await Promise.all([...current.deliveries]);
    await current.app.close();
    current.sqs.destroy();
    current.sns.destroy();
  };

  return {
    name: 'messaging',
    runs: [
      'aws_sqs_queue',
      'aws_sqs_queue_redrive_policy',
      'aws_sns_topic',
      'aws_sns_topic_subscription',
      'aws_s3_bucket',
      'aws_s3_bucket_notification',
      'aws_lambda_event_source_mapping',
    ],
    accepts: ACCEPTED_MESSAGING_RESOURCES,
    attributes: messagingAttributes(endpoint),

    async start(context: SandboxContext) {
      const logger = context.logger('messaging');
      const { model } = context;
      const port = await context.port(options.port ?? 4566);
      const url = `http://${context.host.includes(':') ? `[${context.host}]` : context.host}:${port}`;
      startedEndpoint = url;
      // Read everything first (queue URLs need the endpoint), so a configuration the sandbox cannot run fails
      // before anything listens.
      const platform = readPlatform(model);
      const fauxqs = loadFauxqs();
      const stores = { sqsStore: new fauxqs.SqsStore(), snsStore: new fauxqs.SnsStore(), s3Store: new fauxqs.S3Store() };
      populate(stores, platform, model, url, logger);
      const app = fauxqs.buildApp({ logger: false, defaultRegion: model.region, stores });
      const sqs = new SQSClient({ endpoint: url, region: model.region, credentials: CREDENTIALS });
      const sns = new SNSClient({ endpoint: url, region: model.region, credentials: CREDENTIALS });
      const invoker = () => context.registry.find<LambdaInvoker>(LAMBDA_INVOKER);
      const sender = queueSender(sqs, stores.sqsStore);
      const publisher = topicPublisher(sns);
      const deliveries = new Set<Promise<void>>();
      observe(app, stores.s3Store, deliveries, {
        snsLambda: new SnsLambdaDelivery(fauxqs, stores.snsStore, invoker, { region: model.region, logger }),
        notifier: new S3Notifier(
          platform.notifications,
          {
            publish: (topicArn, message, subject) => publisher.publish(topicArn, message, { subject }),
            send: (queueArn, body) => sender.sendMessage(queueArn, body),
            invoke: async (functionArn, event) => {
              const lambda = invoker();
              if (!lambda) throw new Error('no Lambda service runs');
              return lambda.invoke(functionArn, event, { invocationType: 'Event' });
            },
            get putEvents() {
              const eventBridge = context.registry.find<EventPublisher>(EVENTBRIDGE_PUBLISHER);
              return eventBridge ? (entries: readonly PutEventsEntry[]) => eventBridge.putEvents(entries) : undefined;
            },
          },
          { region: model.region, accountId: model.accountId, logger },
        ),
        logger,
      });
      const timing: PollerTiming = {
        waitTimeSeconds: options.waitTimeSeconds ?? 20,
        pollIntervalMs: options.pollIntervalMs ?? 1000,
        defaultConcurrency: options.defaultConcurrency ?? 5,
      };
      const pollers = platform.mappings.flatMap((mapping) => {
        const queue = mappedQueue(mapping, stores.sqsStore, logger);
        return queue ? [new QueuePoller(mapping, { arn: queue.arn, url: queue.url }, { sqs, invoker, region: model.region, logger, timing })] : [];
      });

      try {
        await app.listen({ port, host: context.host });
      } catch (error) {
        sqs.destroy();
        sns.destroy();
        throw error;
      }
      running = { endpoint: url, version: fauxqs.version, app, sqs, sns, pollers, platform, deliveries };
      try {
        context.registry.provide(SQS_SENDER, sender);
        context.registry.provide(SNS_PUBLISHER, publisher);
        for (const suffix of ['SQS', 'SNS', 'S3']) context.registry.provide(endpointCapability(suffix), url);
        context.registry.provide(MESSAGING_INSPECT, messagingInspector(url, stores.sqsStore, sqs));
      } catch (error) {
        // The sandbox stops only services whose start succeeded; the endpoint must not outlive a failed one.
        await stop();
        throw error;
      }
      for (const poller of pollers) {
        if (poller.spec.enabled) poller.start();
        else logger.info(`${poller.describe()} is disabled`);
      }
      logger.info(`fauxqs ${fauxqs.version} answers SQS, SNS and S3 on ${url}`, {
        queues: platform.queues.length,
        topics: platform.topics.length,
        buckets: platform.buckets.length,
        mappings: pollers.length,
      });
    },

    stop,

    describe() {
      return running ? describeRunning(running) : [];
    },
  };
}

function readPlatform(model: PlatformModel): Platform {
  return {
    queues: readQueues(model),
    redrives: readRedrivePolicies(model),
    topics: readTopics(model),
    subscriptions: readSubscriptions(model),
    buckets: readBuckets(model),
    notifications: readNotifications(model),
    mappings: readMappings(model),
  };
}

/** Creates the platform's queues, topics, subscriptions and buckets in fauxqs, with the ARNs and URLs Terraform reports. */
function populate(stores: FauxqsStores, platform: Platform, model: PlatformModel, endpoint: string, logger: Logger): void {
  const { sqsStore, snsStore, s3Store } = stores;
  // An empty host makes queues created through the API take the request's host, i.e. this endpoint.
  sqsStore.host = '';
  sqsStore.region = model.region;
  snsStore.region = model.region;
  for (const queue of platform.queues) {
    const created = sqsStore.createQueue(queue.name, queueUrl(endpoint, model, queue.name), queue.arn, { ...queue.attributes });
    // GetQueueUrl and CreateQueue find a queue by the ARN fauxqs would give it, in its own account.
    sqsStore.queuesByArn.set(`arn:aws:sqs:${model.region}:${FAUXQS_ACCOUNT}:${queue.name}`, created);
  }
  for (const redrive of platform.redrives) {
    findQueue(sqsStore, redrive.queueUrl).attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: redrive.deadLetter.arn, maxReceiveCount: redrive.deadLetter.maxReceiveCount });
  }
  for (const topic of platform.topics) snsStore.topics.set(topic.arn, { arn: topic.arn, name: topic.name, attributes: { ...topic.attributes }, tags: new Map(), subscriptionArns: [] });
  for (const subscription of platform.subscriptions) subscribe(snsStore, sqsStore, subscription, logger);
  for (const bucket of platform.buckets) s3Store.createBucket(bucket.name);
  warnAboutDeadEnds(platform, sqsStore, snsStore, logger);
}

/** SQS_SENDER: SendMessage through the endpoint, to a queue named by ARN or URL. */
function queueSender(sqs: SQSClient, store: FauxqsSqsStore): QueueSender {
  return {
    async sendMessage(queue, body, options = {}) {
      const answer = await sqs.send(
        new SendMessageCommand({
          QueueUrl: findQueue(store, queue).url,
          MessageBody: body,
          MessageAttributes: options.messageAttributes ? { ...options.messageAttributes } : undefined,
          MessageGroupId: options.messageGroupId,
          MessageDeduplicationId: options.deduplicationId,
          DelaySeconds: options.delaySeconds,
        }),
      );
      return { messageId: answer.MessageId ?? '' };
    },
  };
}

/** SNS_PUBLISHER: Publish through the endpoint, so Lambda subscriptions see it as they see an SDK client's. */
function topicPublisher(sns: SNSClient): TopicPublisher {
  return {
    async publish(topicArn, message, options = {}) {
      const answer = await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: message,
          Subject: options.subject,
          MessageAttributes: options.messageAttributes ? { ...options.messageAttributes } : undefined,
          MessageGroupId: options.messageGroupId,
        }),
      );
      return { messageId: answer.MessageId ?? '' };
    },
  };
}

/** Watches fauxqs's answers for what it does not deliver itself: SNS → Lambda and S3 notifications. */
function observe(app: FauxqsApp, s3Store: FauxqsS3Store, deliveries: Set<Promise<void>>, to: { snsLambda: SnsLambdaDelivery; notifier: S3Notifier; logger: Logger }): void {
  const sequencer = new Sequencer();
  const track = (delivery: Promise<void>) => {
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  };
  app.addHook('onSend', async (request, reply, payload) => {
    try {
      for (const publication of snsPublications(request, reply, payload)) track(to.snsLambda.deliver(publication));
      for (const change of s3Changes(request, reply, payload, s3Store, sequencer)) track(to.notifier.notify(change));
    } catch (error) {
      to.logger.warn(`Could not read a request for notifications: ${(error as Error).message}`);
    }
    return payload;
  });
}

/** The queue an event source mapping polls; other sources are left for later with a warning. */
function mappedQueue(mapping: MappingSpec, store: FauxqsSqsStore, logger: Logger): FauxqsQueue | undefined {
  if (!mapping.sourceArn.startsWith('arn:aws:sqs:')) {
    logger.warn(`Event source mapping ${mapping.id} reads ${mapping.sourceArn || 'no event source'}: only SQS sources run in the sandbox; stream sources arrive with a later issue`);
    return undefined;
  }
  const queue = store.getQueueByArn(mapping.sourceArn);
  if (!queue) logger.warn(`Event source mapping ${mapping.id} reads ${mapping.sourceArn}, which is no queue of the platform; it does not run`);
  else if (mapping.filtered) logger.warn(`Event source mapping ${mapping.id} has filter criteria, which the sandbox does not apply: every message reaches ${mapping.functionName}`);
  return queue;
}

/** Puts a synthesized subscription into fauxqs with the ARN Terraform would report. */
function subscribe(snsStore: FauxqsSnsStore, sqsStore: FauxqsSqsStore, subscription: SubscriptionSpec, logger: Logger): void {
  const topic = snsStore.getTopic(subscription.topicArn);
  if (!topic) {
    logger.warn(`Subscription ${subscription.id} is to ${subscription.topicArn}, which is no topic of the platform; it is skipped`);
    return;
  }
  if (subscription.protocol === 'sqs' && !sqsStore.getQueueByArn(subscription.endpoint)) {
    logger.warn(`Subscription ${subscription.id} delivers to ${subscription.endpoint}, which is no queue of the platform; its messages are dropped`);
  } else if (subscription.protocol !== 'sqs' && subscription.protocol !== 'lambda') {
    logger.warn(`Subscription ${subscription.id} uses protocol ${subscription.protocol}: the sandbox delivers to SQS and Lambda only`);
  }
  snsStore.subscriptions.set(subscription.arn, {
    arn: subscription.arn,
    topicArn: subscription.topicArn,
    protocol: subscription.protocol,
    endpoint: subscription.endpoint,
    confirmed: true,
    attributes: { ...subscription.attributes },
  });
  topic.subscriptionArns.push(subscription.arn);
}

function warnAboutDeadEnds(platform: Platform, sqsStore: FauxqsSqsStore, snsStore: FauxqsSnsStore, logger: Logger): void {
  for (const queue of platform.queues) {
    if (queue.deadLetter && !sqsStore.getQueueByArn(queue.deadLetter.arn)) {
      logger.warn(`Queue ${queue.name} redrives to ${queue.deadLetter.arn}, which is no queue of the platform; its failed messages stay`);
    }
  }
  for (const notification of platform.notifications) {
    for (const target of notification.targets) {
      const missing = (target.kind === 'topic' && !snsStore.getTopic(target.arn)) || (target.kind === 'queue' && !sqsStore.getQueueByArn(target.arn));
      if (missing) logger.warn(`Bucket ${notification.bucket} notifies ${target.arn}, which is no ${target.kind} of the platform`);
    }
  }
}

function describeRunning(running: Running): string[] {
  const name = (arn: string) => arn.split(':').pop() ?? arn;
  const { platform } = running;
  const lines = [`messaging: SQS, SNS and S3 (fauxqs ${running.version}) on ${running.endpoint}; in memory, nothing survives a restart`];
  for (const queue of platform.queues) {
    lines.push(`messaging: queue ${queue.name}${queue.deadLetter ? ` (DLQ ${name(queue.deadLetter.arn)} after ${queue.deadLetter.maxReceiveCount} receives)` : ''}`);
  }
  const byTopic = new Map<string, string[]>();
  for (const subscription of platform.subscriptions) {
    const flags = [
      ...(subscription.attributes.RawMessageDelivery === 'true' ? ['raw'] : []),
      ...(subscription.attributes.FilterPolicy ? ['filtered'] : []),
    ];
    const list = byTopic.get(subscription.topicArn) ?? [];
    list.push(`${subscription.protocol} ${name(subscription.endpoint)}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`);
    byTopic.set(subscription.topicArn, list);
  }
  for (const topic of platform.topics) {
    const subscribers = byTopic.get(topic.arn) ?? [];
    lines.push(`messaging: topic ${topic.name}${subscribers.length > 0 ? ` → ${subscribers.join(', ')}` : ''}`);
  }
  for (const { name: bucket } of platform.buckets) {
    const notification = platform.notifications.find((candidate) => candidate.bucket === bucket);
    const targets = [
      ...(notification?.targets ?? []).map((target) => `${target.kind} ${name(target.arn)} [${target.events.join(' ')}${target.prefix ? ` ${target.prefix}*` : ''}${target.suffix ? ` *${target.suffix}` : ''}]`),
      ...(notification?.eventBridge ? ['EventBridge'] : []),
    ];
    lines.push(`messaging: bucket ${bucket}${targets.length > 0 ? ` → ${targets.join(', ')}` : ''}`);
  }
  for (const poller of running.pollers) lines.push(`messaging: ${poller.describe()}${poller.spec.enabled ? '' : ' (disabled)'}`);
  return lines;
}
