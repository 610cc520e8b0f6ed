import type { ApiGatewayStageConfig } from '@cdktf/provider-aws/lib/api-gateway-stage';
import type { CloudwatchEventBusConfig } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import type { CloudwatchLogGroupConfig } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { DynamodbTableConfig } from '@cdktf/provider-aws/lib/dynamodb-table';
import type { S3BucketPublicAccessBlockConfig } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import type { S3BucketServerSideEncryptionConfigurationAConfig } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { SnsTopicConfig } from '@cdktf/provider-aws/lib/sns-topic';
import type { SqsQueueConfig } from '@cdktf/provider-aws/lib/sqs-queue';

/**
 * The settings no caller may forget. Constructs merge their props first and pass the result through
 * these helpers last, so a prop can never switch encryption, recovery or retention off.
 */
export interface SecurityContext {
  /** Customer-managed key that encrypts data at rest. */
  readonly kmsKeyArn: string;
  /** Retention for every log group, in days. */
  readonly logRetentionDays: number;
  /** Whether data stores refuse deletion. */
  readonly deletionProtection: boolean;
}

/** DynamoDB: SSE with the customer-managed key, point-in-time recovery, deletion protection from config. */
export function secureTable(config: DynamodbTableConfig, security: SecurityContext): DynamodbTableConfig {
  return {
    ...config,
    serverSideEncryption: { enabled: true, kmsKeyArn: security.kmsKeyArn },
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: security.deletionProtection,
  };
}

/** CloudWatch Logs: retention from config and encryption with the customer-managed key. */
export function secureLogGroup(config: CloudwatchLogGroupConfig, security: SecurityContext): CloudwatchLogGroupConfig {
  return { ...config, retentionInDays: security.logRetentionDays, kmsKeyId: security.kmsKeyArn };
}

/** SQS: SSE with the customer-managed key (never SQS-managed SSE), data keys reused for 5 minutes unless set. */
export function secureQueue(config: SqsQueueConfig, security: SecurityContext): SqsQueueConfig {
  // kms_master_key_id conflicts with sqs_managed_sse_enabled, so the flag is dropped rather than set to false.
  const { sqsManagedSseEnabled: _managed, ...rest } = config;
  return { ...rest, kmsMasterKeyId: security.kmsKeyArn, kmsDataKeyReusePeriodSeconds: config.kmsDataKeyReusePeriodSeconds ?? 300 };
}

/** SNS: encryption with the customer-managed key and active X-Ray tracing. */
export function secureTopic(config: SnsTopicConfig, security: SecurityContext): SnsTopicConfig {
  return { ...config, kmsMasterKeyId: security.kmsKeyArn, tracingConfig: 'Active' };
}

/** EventBridge: the bus encrypts custom events, rule patterns and target inputs with the customer-managed key. */
export function secureEventBus(config: CloudwatchEventBusConfig, security: SecurityContext): CloudwatchEventBusConfig {
  return { ...config, kmsKeyIdentifier: security.kmsKeyArn };
}

/** S3: SSE-KMS with the customer-managed key; S3 Bucket Keys cut the KMS calls per object to one per bucket key. */
export function secureBucketEncryption(bucket: string, security: SecurityContext): S3BucketServerSideEncryptionConfigurationAConfig {
  return {
    bucket,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: security.kmsKeyArn }, bucketKeyEnabled: true }],
  };
}

/** S3: every public-access switch on; nothing this platform stores is public. */
export function blockPublicAccess(bucket: string): S3BucketPublicAccessBlockConfig {
  return { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
}

/** API Gateway stage: X-Ray tracing on and JSON access logs into the given (encrypted, retained) log group. */
export function secureApiStage(config: ApiGatewayStageConfig, logGroupArn: string, format: string): ApiGatewayStageConfig {
  return { ...config, xrayTracingEnabled: true, accessLogSettings: { destinationArn: logGroupArn, format } };
}

/** A resource-policy statement that refuses any request not made over TLS, whoever makes it. */
export function denyInsecureTransport(sid: string, actions: readonly string[], resources: readonly string[]): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: 'Deny',
    principals: [{ type: 'AWS', identifiers: ['*'] }],
    actions: [...actions],
    resources: [...resources],
    condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
  };
}
