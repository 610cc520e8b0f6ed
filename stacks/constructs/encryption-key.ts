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
