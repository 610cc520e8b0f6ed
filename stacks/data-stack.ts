import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { Construct } from 'constructs';
import { ORDERS_TABLE_INDEXES } from '../resolvers/lib/keys';
import { EncryptionKey } from './constructs/encryption-key';
import { secureTopic, type SecurityContext } from './constructs/secure-defaults';
import { SingleTable } from './constructs/single-table';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Data at rest and what every other stack builds on: the platform's key, the orders table, the alarm topic. */
export class DataStack extends PlatformStack {
  /** Encrypts the table, log groups, the bus, queues and topics. */
  readonly key: EncryptionKey;
  /** The orders domain's single table. */
  readonly table: SingleTable;
  /** Alarms (DLQ depth...) notify this topic, which emails the environment's alarm address. */
  readonly alarms: SnsTopic;
  /** Key, retention and deletion protection every other stack applies. */
  readonly security: SecurityContext;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    this.key = new EncryptionKey(this, 'platform-key', {
      alias: naming.resource('platform'),
      description: `Encrypts ${naming.resource()} data at rest`,
      accountId: config.accountId,
      region: config.region,
      deletionWindowDays: config.kmsDeletionWindowDays,
      allowCloudWatchLogs: true,
      eventBridgeBuses: [naming.resource('bus')],
      allowMessaging: true,
    });
    this.security = { kmsKeyArn: this.key.arn, logRetentionDays: config.logRetentionDays, deletionProtection: config.deletionProtection };
    this.table = new SingleTable(this, 'orders-table', {
      name: naming.resource('orders'),
      indexes: ORDERS_TABLE_INDEXES,
      security: this.security,
    });
    this.alarms = new SnsTopic(this, 'alarms', secureTopic({ name: naming.resource('alarms') }, this.security));
    new SnsTopicSubscription(this, 'alarm-email', { topicArn: this.alarms.arn, protocol: 'email', endpoint: config.alarmEmail });
  }
}
