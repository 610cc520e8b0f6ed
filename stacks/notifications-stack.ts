import { Sesv2EmailIdentity } from '@cdktf/provider-aws/lib/sesv2-email-identity';
import type { Construct } from 'constructs';
import { SOURCES } from '../events/sources';
import { EventConsumer } from './constructs/event-consumer';
import { FanOutTopic } from './constructs/fan-out-topic';
import type { DataStack } from './data-stack';
import type { EventsStack } from './events-stack';
import { keyUseViaService, tableReadWrite } from './lib/grants';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Props of {@link NotificationsStack}. */
export interface NotificationsStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly events: EventsStack;
}

/** Order events customers hear about; each fans out to its channels. */
export const CUSTOMER_FACING_EVENTS = ['OrderCreated', 'OrderCancelled', 'OrderStatusChanged', 'OrderCompleted', 'OrderFailed'];

/**
 * Pattern 3, fan-out: one rule sends customer-facing order events to an SNS topic, which fans out to a queue
 * per channel with a filter policy: email for every event, push for shipping only, audit for everything.
 * Each queue has a DLQ and a consumer that reports partial batch failures.
 */
export class NotificationsStack extends PlatformStack {
  /** The topic every channel subscribes to. */
  readonly topic: FanOutTopic;

  constructor(scope: Construct, id: string, props: NotificationsStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    const { security, table, key } = props.data;
    const context = { security, accountId: config.accountId, region: config.region, alarmTopicArn: props.data.alarms.arn };
    const tableAccess = [...tableReadWrite('OrdersTable', { arn: table.arn }), ...keyUseViaService('OrdersTableKey', key.arn, 'dynamodb', config.region)];
    const queueing = { maxReceiveCount: config.messaging.maxReceiveCount, batchSize: 10, maxBatchingWindowSeconds: 1 };

    this.topic = new FanOutTopic(this, 'order-notifications', { name: naming.resource('order-notifications'), ...context });
    const rule = new EventConsumer(this, 'to-notifications', {
      name: naming.resource('customer-notifications'),
      description: 'Customer-facing order events to the notification fan-out topic',
      bus: props.events.bus,
      eventPattern: { source: [SOURCES.api, SOURCES.fulfilment], 'detail-type': CUSTOMER_FACING_EVENTS },
      topic: this.topic,
      maxEventAgeSeconds: config.messaging.maxEventAgeSeconds,
      maxRetryAttempts: config.messaging.maxRetryAttempts,
      accountId: config.accountId,
      region: config.region,
    });
    this.topic.allowPublishFrom('events.amazonaws.com', rule.ruleArn);

    const sender = new Sesv2EmailIdentity(this, 'email-sender', { emailIdentity: config.emailFrom });
    const email = this.topic.addQueue('email', {
      queueName: naming.resource('notify-email'),
      consumer: {
        name: naming.resource('send-order-email'),
        entry: 'functions/send-order-email/handler.ts',
        environment: { TABLE_NAME: table.name, FROM_ADDRESS: config.emailFrom },
      },
      ...queueing,
    });
    email.consumer?.function.grant('send-email', [
      ...tableAccess,
      { sid: 'SendFromTheOrdersAddress', actions: ['ses:SendEmail'], resources: [sender.arn], conditions: [{ test: 'StringEquals', variable: 'ses:FromAddress', values: [config.emailFrom] }] },
    ]);

    const push = this.topic.addQueue('push', {
      queueName: naming.resource('notify-push'),
      filterPolicy: { 'detail-type': ['OrderStatusChanged'], detail: { data: { status: ['SHIPPED'] } } },
      filterPolicyScope: 'MessageBody',
      consumer: { name: naming.resource('send-push-notification'), entry: 'functions/send-push-notification/handler.ts', environment: { TABLE_NAME: table.name } },
      ...queueing,
    });
    push.consumer?.function.grant('inbox', tableAccess);

    const audit = this.topic.addQueue('audit', {
      queueName: naming.resource('audit'),
      consumer: { name: naming.resource('write-audit-record'), entry: 'functions/write-audit-record/handler.ts', environment: { TABLE_NAME: table.name } },
      ...queueing,
    });
    audit.consumer?.function.grant('audit-log', tableAccess);
  }
}
