import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketNotification, type S3BucketNotificationTopic } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { dependable, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ResourcePolicy } from '../lib/resource-policy';
import type { PublishTarget } from './event-consumer';
import { blockPublicAccess, denyInsecureTransport, secureBucketEncryption, type SecurityContext } from './secure-defaults';

/** One lifecycle rule. */
export interface BucketLifecycleRule {
  /** Rule id, unique in the bucket. */
  readonly id: string;
  /** Key prefix the rule applies to. @default every object */
  readonly prefix?: string;
  /** Days after creation an object expires. @default never */
  readonly expireAfterDays?: number;
  /** Days a replaced or deleted version is kept. @default forever */
  readonly noncurrentVersionsExpireAfterDays?: number;
  /** Days before an unfinished multipart upload is cleaned up. @default 7 */
  readonly abortIncompleteUploadsAfterDays?: number;
}

/** Props of {@link SecureBucket}. */
export interface SecureBucketProps {
  /** Bucket name, from the naming helper (3-63 lowercase letters, digits, - and .). */
  readonly name: string;
  /** Key for SSE-KMS; with deletion protection off the bucket can be destroyed with its objects. */
  readonly security: SecurityContext;
  /** Keep every version of every object. @default true */
  readonly versioning?: boolean;
  /** Lifecycle rules. @default none */
  readonly lifecycle?: readonly BucketLifecycleRule[];
  /** Send every object event to EventBridge's default bus. @default false */
  readonly eventBridge?: boolean;
}

/** Which object events reach a topic. */
export interface BucketNotificationOptions {
  /** S3 event types. @default ['s3:ObjectCreated:*'] */
  readonly events?: readonly string[];
  /** Only keys starting with this. @default every key */
  readonly prefix?: string;
  /** Only keys ending with this, e.g. `.jpg`. @default every key */
  readonly suffix?: string;
}

/**
 * An S3 bucket nobody can make public (all four public-access blocks, ACLs disabled by BucketOwnerEnforced),
 * encrypted with the customer-managed key and S3 Bucket Keys, versioned, refusing non-TLS requests, with
 * optional lifecycle rules. Object events go to SNS topics with {@link SecureBucket.notifyTopic} (all in the
 * bucket's one notification configuration) and, with `eventBridge`, to EventBridge.
 */
export class SecureBucket extends Construct {
  /** The bucket. */
  readonly bucket: S3Bucket;
  /** Bucket name. */
  readonly name: string;
  /** Bucket ARN. */
  readonly arn: string;
  /** The notification configuration, once the bucket notifies anything. */
  notification?: S3BucketNotification;
  private readonly props: SecureBucketProps;
  private readonly topics: S3BucketNotificationTopic[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    validate(id, props);
    this.props = props;
    this.name = props.name;
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.name, forceDestroy: !props.security.deletionProtection });
    this.arn = this.bucket.arn;
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', blockPublicAccess(this.bucket.id));
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', secureBucketEncryption(this.bucket.id, props.security));
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: props.versioning === false ? 'Suspended' : 'Enabled' },
    });
    const policy = new ResourcePolicy(this, 'policy', [denyInsecureTransport('DenyInsecureTransport', ['s3:*'], [this.arn, `${this.arn}/*`])]);
    // Ordered after the public-access block so the two never race on a fresh bucket.
    new S3BucketPolicy(this, 'bucket-policy', { bucket: this.bucket.id, policy: policy.json, dependsOn: [publicAccess] });

    if (props.lifecycle && props.lifecycle.length > 0) {
      new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket: this.bucket.id,
        rule: props.lifecycle.map((rule) => ({
          id: rule.id,
          status: 'Enabled',
          filter: [{ prefix: rule.prefix ?? '' }],
          expiration: rule.expireAfterDays === undefined ? undefined : [{ days: rule.expireAfterDays }],
          noncurrentVersionExpiration:
            rule.noncurrentVersionsExpireAfterDays === undefined ? undefined : [{ noncurrentDays: rule.noncurrentVersionsExpireAfterDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: rule.abortIncompleteUploadsAfterDays ?? 7 }],
        })),
      });
    }
    if (props.eventBridge) this.notifications();
  }

  /**
   * Sends object events to a topic, and lets S3 publish to it for this bucket when the topic can say so (a
   * {@link FanOutTopic} can); otherwise the topic's owner must allow `s3.amazonaws.com` with this bucket's ARN.
   */
  notifyTopic(topic: PublishTarget, options: BucketNotificationOptions = {}): void {
    const events = options.events ?? ['s3:ObjectCreated:*'];
    const problems = events.filter((event) => !/^s3:[A-Za-z]+:[A-Za-z*]+$/.test(event)).map((event) => `events: "${event}" is not an S3 event type`);
    if (events.length === 0) problems.push('events must name at least one event type');
    if (problems.length > 0) throw new Error(`SecureBucket ${this.node.id} notifyTopic:\n- ${problems.join('\n- ')}`);

    topic.allowPublishFrom?.('s3.amazonaws.com', this.arn);
    this.topics.push({ id: `topic-${this.topics.length}`, topicArn: topic.arn, events: [...events], filterPrefix: options.prefix, filterSuffix: options.suffix });
    const notification = this.notifications();
    notification.putTopic([...this.topics]);
    // S3 test-publishes when the configuration is saved, so the topic policy must exist first (when it is ours to order).
    if (topic.policyResource && TerraformStack.of(topic.policyResource) === TerraformStack.of(this)) {
      notification.dependsOn = [...new Set([...(notification.dependsOn ?? []), dependable(topic.policyResource)])];
    }
  }

  private notifications(): S3BucketNotification {
    this.notification ??= new S3BucketNotification(this, 'notification', { bucket: this.bucket.id, eventbridge: this.props.eventBridge === true ? true : undefined });
    return this.notification;
  }
}

function validate(id: string, props: SecureBucketProps): void {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.name) || props.name.includes('..')) {
    problems.push(`name "${props.name}" must be 3-63 lowercase letters, digits, - and ., starting and ending with a letter or digit`);
  }
  const ids = (props.lifecycle ?? []).map((rule) => rule.id);
  const duplicate = ids.filter((ruleId, position) => ids.indexOf(ruleId) !== position);
  if (duplicate.length > 0) problems.push(`lifecycle: duplicate rule id ${[...new Set(duplicate)].join(', ')}`);
  for (const rule of props.lifecycle ?? []) {
    for (const key of ['expireAfterDays', 'noncurrentVersionsExpireAfterDays', 'abortIncompleteUploadsAfterDays'] as const) {
      const days = rule[key];
      if (days !== undefined && (!Number.isInteger(days) || days < 1)) problems.push(`lifecycle.${rule.id}.${key} must be a whole number of days, 1 or more`);
    }
    if (rule.noncurrentVersionsExpireAfterDays !== undefined && props.versioning === false) {
      problems.push(`lifecycle.${rule.id}.noncurrentVersionsExpireAfterDays needs versioning`);
    }
  }
  if (problems.length > 0) throw new Error(`SecureBucket ${id}:\n- ${problems.join('\n- ')}`);
}
