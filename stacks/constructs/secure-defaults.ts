import type { CloudwatchLogGroupConfig } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { DynamodbTableConfig } from '@cdktf/provider-aws/lib/dynamodb-table';

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
