/** Where a stack keeps its Terraform state. */
export type BackendConfig =
  | { readonly type: 'local' }
  | {
      readonly type: 's3';
      /** Bucket holding every stack's state. */
      readonly bucket: string;
      /** Key prefix; each stack writes `<keyPrefix>/<stack>.tfstate`. */
      readonly keyPrefix: string;
      readonly region: string;
      /** S3-native locking (Terraform >= 1.10). Set `false` only together with `dynamodbLockTable`. */
      readonly useLockfile: boolean;
      /** Legacy lock table, for teams that have not moved to `useLockfile` yet. */
      readonly dynamodbLockTable?: string;
    };

export type MfaMode = 'OFF' | 'OPTIONAL' | 'ON';

/** Everything that differs between environments; shape-changing choices are made here, at synth time. */
export interface EnvironmentConfig {
  /** Environment name, part of every resource name. */
  readonly name: string;
  /** Short prefix that namespaces every resource name (lowercase letters, digits, dashes). */
  readonly prefix: string;
  readonly region: string;
  /** AWS account id; key and bus policies name it, so plans need no STS call. */
  readonly accountId: string;
  /** CloudWatch Logs retention for every log group, in days. */
  readonly logRetentionDays: number;
  /** Turns on deletion protection for tables and user pools; `prod` keeps it on. */
  readonly deletionProtection: boolean;
  /** Cognito MFA enforcement. */
  readonly mfa: MfaMode;
  /** Where alarms are emailed. */
  readonly alarmEmail: string;
  /** Terraform state backend. */
  readonly backend: BackendConfig;
  /** Days a KMS key waits before deletion (7-30). */
  readonly kmsDeletionWindowDays: number;
  /** Whether GraphQL introspection stays on (off in prod: clients ship their own schema). */
  readonly graphqlIntrospection: boolean;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Queues and event delivery. */
  readonly messaging: MessagingConfig;
  /** The partner intake API's limits. */
  readonly partnerApi: PartnerApiConfig;
  /** Sender of customer emails; an SES identity is created for it and must be verified. */
  readonly emailFrom: string;
}

/** How queues and event deliveries retry before giving up to a DLQ. */
export interface MessagingConfig {
  /** Receives before an SQS message moves to its DLQ (redrive). */
  readonly maxReceiveCount: number;
  /** Days the bus archive keeps events for replay (0 keeps them forever). */
  readonly archiveRetentionDays: number;
  /** How long EventBridge keeps retrying a rule target, in seconds (60-86400). */
  readonly maxEventAgeSeconds: number;
  /** EventBridge retry attempts per target (0-185). */
  readonly maxRetryAttempts: number;
}

/** Throttling and quota of the partner intake API's usage plan. */
export interface PartnerApiConfig {
  readonly rateLimit: number;
  readonly burstLimit: number;
  /** Requests per day per API key. */
  readonly dailyQuota: number;
}
