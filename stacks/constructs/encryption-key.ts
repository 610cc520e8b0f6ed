import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, from the naming helper. */
  readonly alias: string;
  /** What the key protects. */
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /** Days before a scheduled deletion happens (7-30). */
  readonly deletionWindowDays: number;
  /** Let CloudWatch Logs encrypt log groups of this account and region with the key. @default false */
  readonly allowCloudWatchLogs?: boolean;
  /** Names of EventBridge buses of this account and region the key encrypts. @default none */
  readonly eventBridgeBuses?: readonly string[];
  /** Let EventBridge and SNS deliver to queues, and EventBridge, S3 and CloudWatch alarms publish to topics, that the key encrypts. @default false */
  readonly allowMessaging?: boolean;
}

/** A customer-managed KMS key with rotation on, an alias, and a key policy that names who may use it. */
export class EncryptionKey extends Construct {
  /** The key. */
  readonly key: KmsKey;
  /** Its ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!/^[a-zA-Z0-9/_-]+$/.test(props.alias) || props.alias.startsWith('aws/')) {
      problems.push(`alias "${props.alias}" must use letters, digits, / _ - and not start with aws/`);
    }
    if (props.deletionWindowDays < 7 || props.deletionWindowDays > 30) {
      problems.push('deletionWindowDays must be between 7 and 30');
    }
    if (problems.length > 0) throw new Error(`EncryptionKey ${id}:\n- ${problems.join('\n- ')}`);

    const accountRoot = `arn:aws:iam::${props.accountId}:root`;
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        // The account administers the key through IAM; without this the key becomes unmanageable.
        sid: 'AccountAdministers',
        effect: 'Allow',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [accountRoot] }],
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        sid: 'CloudWatchLogsEncrypts',
        effect: 'Allow',
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: [`logs.${props.region}.amazonaws.com`] }],
        condition: [
          {
            test: 'ArnLike',
            variable: 'kms:EncryptionContext:aws:logs:arn',
            values: [`arn:aws:logs:${props.region}:${props.accountId}:log-group:*`],
          },
        ],
      });
    }
    for (const statement of serviceStatements(props)) statements.push(statement);
    // In a key policy "*" means this key; the statements above are the documented minimum for each principal.
    const policy = new DataAwsIamPolicyDocument(this, 'policy', { statement: statements });
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays,
      policy: policy.json,
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}

/**
 * Services that encrypt on the platform's behalf. Each statement is limited by the encryption context the
 * service sets (a bus, queue or topic ARN of this account and region), so the key serves nothing else.
 */
function serviceStatements(props: EncryptionKeyProps): DataAwsIamPolicyDocumentStatement[] {
  const { region, accountId } = props;
  const statements: DataAwsIamPolicyDocumentStatement[] = [];
  const service = (...names: string[]) => [{ type: 'Service', identifiers: names.map((name) => `${name}.amazonaws.com`) }];
  if (props.eventBridgeBuses && props.eventBridgeBuses.length > 0) {
    statements.push({ sid: 'EventBridgeDescribesKey', effect: 'Allow', actions: ['kms:DescribeKey'], resources: ['*'], principals: service('events') });
    statements.push({
      sid: 'EventBridgeEncryptsBuses',
      effect: 'Allow',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      principals: service('events'),
      condition: [
        {
          test: 'StringEquals',
          variable: 'kms:EncryptionContext:aws:events:event-bus:arn',
          values: props.eventBridgeBuses.map((bus) => `arn:aws:events:${region}:${accountId}:event-bus/${bus}`),
        },
      ],
    });
  }
  if (props.allowMessaging) {
    statements.push({
      sid: 'ServicesSendToEncryptedQueues',
      effect: 'Allow',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      principals: service('events', 'sns'),
      condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:sqs:arn', values: [`arn:aws:sqs:${region}:${accountId}:*`] }],
    });
    statements.push({
      sid: 'ServicesPublishToEncryptedTopics',
      effect: 'Allow',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      principals: service('events', 's3', 'cloudwatch'),
      condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:sns:topicArn', values: [`arn:aws:sns:${region}:${accountId}:*`] }],
    });
  }
  return statements;
}
