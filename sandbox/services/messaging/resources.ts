import { createHash } from 'node:crypto';
import type { PlatformModel, ResourceRef } from '../../model/platform-model';

/** Where the synthesized resources say messages, topics and objects go: what the service sets up. */

/** An `aws_sqs_queue` as fauxqs gets it. */
export interface QueueSpec {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** SQS attributes (`VisibilityTimeout`, `RedrivePolicy`...), as CreateQueue takes them. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly deadLetter?: { readonly arn: string; readonly maxReceiveCount: number };
}

/** An `aws_sns_topic`. */
export interface TopicSpec {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** An `aws_sns_topic_subscription`. */
export interface SubscriptionSpec {
  readonly id: string;
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** `RawMessageDelivery`, `FilterPolicy`, `FilterPolicyScope`, as SetSubscriptionAttributes takes them. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** An `aws_s3_bucket`. */
export interface BucketSpec {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
}

/** Where one notification configuration of a bucket sends events. */
export interface NotificationTarget {
  readonly kind: 'topic' | 'queue' | 'lambda';
  readonly arn: string;
  /** `configurationId` of the events it sends. */
  readonly id: string;
  /** `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`... */
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
}

/** An `aws_s3_bucket_notification`. */
export interface NotificationSpec {
  readonly id: string;
  readonly bucket: string;
  readonly eventBridge: boolean;
  readonly targets: readonly NotificationTarget[];
}

/** An `aws_lambda_event_source_mapping`. */
export interface MappingSpec {
  readonly id: string;
  readonly uuid: string;
  readonly functionName: string;
  readonly sourceArn: string;
  readonly enabled: boolean;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** `scaling_config.maximum_concurrency`, when set. */
  readonly maximumConcurrency?: number;
  /** Whether the mapping sets `filter_criteria` (not applied locally). */
  readonly filtered: boolean;
}

/** Default `max_message_size` of the Terraform provider (AWS's default was 256 KiB until 2025). */
const TERRAFORM_MAX_MESSAGE_SIZE = 262144;

/** A stable stand-in for the unique suffix Terraform generates for resources named by prefix or not at all. */
function uniqueSuffix(resource: ResourceRef): string {
  return createHash('sha256').update(resource.id).digest('hex').slice(0, 26);
}

/** A UUID-shaped value derived from a resource, so ids computed before and after start agree. */
export function stableUuid(resource: ResourceRef): string {
  const hex = createHash('sha256').update(`uuid:${resource.id}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function resolved(model: PlatformModel, resource: ResourceRef, argument: string): unknown {
  const raw = resource.raw[argument];
  return raw === undefined || raw === null ? undefined : model.resolve(resource.stack, raw);
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A name Terraform would give: `name`, else `<prefix><unique>`, else `terraform-<unique>`; `.fifo` for FIFO. */
function terraformName(model: PlatformModel, resource: ResourceRef, nameArgument: string, prefixArgument: string, fifo: boolean): string {
  const name = resolved(model, resource, nameArgument);
  if (name !== undefined) return String(name);
  const prefix = resolved(model, resource, prefixArgument);
  return `${prefix === undefined ? 'terraform-' : String(prefix)}${uniqueSuffix(resource)}${fifo ? '.fifo' : ''}`;
}

export function queueName(model: PlatformModel, resource: ResourceRef): string {
  return terraformName(model, resource, 'name', 'name_prefix', flag(resolved(model, resource, 'fifo_queue')));
}

export function queueArn(model: PlatformModel, name: string): string {
  return `arn:aws:sqs:${model.region}:${model.accountId}:${name}`;
}

/** Queue URLs name the local endpoint, so SDK clients that take the URL's host as endpoint stay local. */
export function queueUrl(endpoint: string, model: PlatformModel, name: string): string {
  return `${endpoint}/${model.accountId}/${name}`;
}

export function topicName(model: PlatformModel, resource: ResourceRef): string {
  return terraformName(model, resource, 'name', 'name_prefix', flag(resolved(model, resource, 'fifo_topic')));
}

export function topicArn(model: PlatformModel, name: string): string {
  return `arn:aws:sns:${model.region}:${model.accountId}:${name}`;
}

export function subscriptionArn(model: PlatformModel, resource: ResourceRef): string {
  return `${String(resolved(model, resource, 'topic_arn'))}:${stableUuid(resource)}`;
}

export function bucketName(model: PlatformModel, resource: ResourceRef): string {
  return terraformName(model, resource, 'bucket', 'bucket_prefix', false);
}

export function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** The platform's queues, with the attributes fauxqs takes at creation. */
export function readQueues(model: PlatformModel): QueueSpec[] {
  return model.resources('aws_sqs_queue').map((resource) => {
    const config = model.config(resource);
    const name = queueName(model, resource);
    const fifo = flag(config.fifo_queue);
    const attributes: Record<string, string> = {
      VisibilityTimeout: String(config.visibility_timeout_seconds ?? 30),
      MessageRetentionPeriod: String(config.message_retention_seconds ?? 345600),
      DelaySeconds: String(config.delay_seconds ?? 0),
      MaximumMessageSize: String(config.max_message_size ?? TERRAFORM_MAX_MESSAGE_SIZE),
      ReceiveMessageWaitTimeSeconds: String(config.receive_wait_time_seconds ?? 0),
    };
    if (config.kms_master_key_id !== undefined) attributes.KmsMasterKeyId = String(config.kms_master_key_id);
    if (fifo) {
      attributes.FifoQueue = 'true';
      attributes.ContentBasedDeduplication = String(flag(config.content_based_deduplication));
      attributes.DeduplicationScope = String(config.deduplication_scope ?? 'queue');
      attributes.FifoThroughputLimit = String(config.fifo_throughput_limit ?? 'perQueue');
    }
    const deadLetter = config.redrive_policy === undefined ? undefined : readRedrivePolicy(config.redrive_policy, resource.id);
    if (deadLetter) attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: deadLetter.maxReceiveCount });
    return { id: resource.id, name, arn: queueArn(model, name), fifo, attributes, ...(deadLetter ? { deadLetter } : {}) };
  });
}

/** `aws_sqs_queue_redrive_policy` resources: a redrive policy set on a queue by URL. */
export function readRedrivePolicies(model: PlatformModel): { id: string; queueUrl: string; deadLetter: { arn: string; maxReceiveCount: number } }[] {
  return model.resources('aws_sqs_queue_redrive_policy').map((resource) => {
    const config = model.config(resource);
    return { id: resource.id, queueUrl: String(config.queue_url), deadLetter: readRedrivePolicy(config.redrive_policy, resource.id) };
  });
}

function readRedrivePolicy(value: unknown, id: string): { arn: string; maxReceiveCount: number } {
  const policy = (typeof value === 'string' ? JSON.parse(value) : value) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const maxReceiveCount = Number(policy.maxReceiveCount);
  if (typeof policy.deadLetterTargetArn !== 'string' || !Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) {
    throw new Error(`${id}: redrive_policy needs deadLetterTargetArn and a maxReceiveCount of 1 or more, got ${JSON.stringify(policy)}`);
  }
  return { arn: policy.deadLetterTargetArn, maxReceiveCount };
}

export function readTopics(model: PlatformModel): TopicSpec[] {
  return model.resources('aws_sns_topic').map((resource) => {
    const config = model.config(resource);
    const name = topicName(model, resource);
    const attributes: Record<string, string> = {};
    if (config.display_name !== undefined) attributes.DisplayName = String(config.display_name);
    if (config.kms_master_key_id !== undefined) attributes.KmsMasterKeyId = String(config.kms_master_key_id);
    if (flag(config.fifo_topic)) {
      attributes.FifoTopic = 'true';
      attributes.ContentBasedDeduplication = String(flag(config.content_based_deduplication));
    }
    return { id: resource.id, name, arn: topicArn(model, name), attributes };
  });
}

export function readSubscriptions(model: PlatformModel): SubscriptionSpec[] {
  return model.resources('aws_sns_topic_subscription').map((resource) => {
    const config = model.config(resource);
    const attributes: Record<string, string> = {};
    if (flag(config.raw_message_delivery)) attributes.RawMessageDelivery = 'true';
    if (config.filter_policy !== undefined && config.filter_policy !== '') {
      attributes.FilterPolicy = typeof config.filter_policy === 'string' ? config.filter_policy : JSON.stringify(config.filter_policy);
      attributes.FilterPolicyScope = String(config.filter_policy_scope ?? 'MessageAttributes');
    }
    return {
      id: resource.id,
      arn: subscriptionArn(model, resource),
      topicArn: String(config.topic_arn),
      protocol: String(config.protocol),
      endpoint: String(config.endpoint),
      attributes,
    };
  });
}

export function readBuckets(model: PlatformModel): BucketSpec[] {
  return model.resources('aws_s3_bucket').map((resource) => {
    const name = bucketName(model, resource);
    return { id: resource.id, name, arn: bucketArn(name) };
  });
}

/** A list argument; a single value counts as a list of one. */
function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** cdktf writes a repeated block as a list, Terraform JSON also takes a single object. */
function blocks(value: unknown): Record<string, unknown>[] {
  return list(value) as Record<string, unknown>[];
}

export function readNotifications(model: PlatformModel): NotificationSpec[] {
  return model.resources('aws_s3_bucket_notification').map((resource) => {
    const config = model.config(resource);
    let counter = 0;
    const target = (kind: NotificationTarget['kind'], block: Record<string, unknown>, arnArgument: string): NotificationTarget => {
      counter += 1;
      return {
        kind,
        arn: String(block[arnArgument]),
        // Terraform names an unnamed configuration `tf-s3-<kind>-<unique id>`.
        id: block.id === undefined ? `tf-s3-${kind}-${uniqueSuffix(resource)}-${counter}` : String(block.id),
        events: list(block.events).map(String),
        prefix: block.filter_prefix === undefined ? '' : String(block.filter_prefix),
        suffix: block.filter_suffix === undefined ? '' : String(block.filter_suffix),
      };
    };
    return {
      id: resource.id,
      bucket: String(config.bucket),
      eventBridge: flag(config.eventbridge),
      targets: [
        ...blocks(config.topic).map((block) => target('topic', block, 'topic_arn')),
        ...blocks(config.queue).map((block) => target('queue', block, 'queue_arn')),
        ...blocks(config.lambda_function).map((block) => target('lambda', block, 'lambda_function_arn')),
      ],
    };
  });
}

export function readMappings(model: PlatformModel): MappingSpec[] {
  return model.resources('aws_lambda_event_source_mapping').map((resource) => {
    const config = model.config(resource);
    const scaling = blocks(config.scaling_config)[0];
    const responseTypes = list(config.function_response_types).map(String);
    return {
      id: resource.id,
      uuid: stableUuid(resource),
      functionName: String(config.function_name),
      sourceArn: String(config.event_source_arn ?? ''),
      enabled: config.enabled === undefined || flag(config.enabled),
      batchSize: Number(config.batch_size ?? 10),
      batchingWindowSeconds: Number(config.maximum_batching_window_in_seconds ?? 0),
      reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
      filtered: blocks(config.filter_criteria).length > 0,
      ...(scaling?.maximum_concurrency !== undefined ? { maximumConcurrency: Number(scaling.maximum_concurrency) } : {}),
    };
  });
}
