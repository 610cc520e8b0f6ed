import type { Construct } from 'constructs';
import { ORDERS_TABLE_INDEXES } from '../resolvers/lib/keys';
import { EncryptionKey } from './constructs/encryption-key';
import { SingleTable } from './constructs/single-table';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Data at rest: the platform's customer-managed key and the orders single table. */
export class DataStack extends PlatformStack {
  /** Encrypts the table, log groups and (later) queues and topics. */
  readonly key: EncryptionKey;
  /** The orders domain's single table. */
  readonly table: SingleTable;

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
    });
    this.table = new SingleTable(this, 'orders-table', {
      name: naming.resource('orders'),
      indexes: ORDERS_TABLE_INDEXES,
      security: { kmsKeyArn: this.key.arn, logRetentionDays: config.logRetentionDays, deletionProtection: config.deletionProtection },
    });
  }
}
