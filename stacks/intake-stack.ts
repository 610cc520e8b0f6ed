import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import partnerOrderSchema from '../events/requests/partner-order.schema.json';
import { QueueConsumer } from './constructs/queue-consumer';
import { QueueIntakeApi } from './constructs/queue-intake-api';
import type { DataStack } from './data-stack';
import type { EventsStack } from './events-stack';
import { keyEncryptViaService, keyUseViaService, putEvents, tableReadWrite } from './lib/grants';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Props of {@link IntakeStack}. */
export interface IntakeStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly events: EventsStack;
}

/**
 * Pattern 2, async intake: partners POST orders to API Gateway, which validates the body against a model and
 * queues it straight into SQS (no Lambda in front), answering 202 with the message id. A consumer validates
 * again, writes the order idempotently and publishes PartnerOrderReceived; what it cannot process lands in
 * the queue's DLQ.
 */
export class IntakeStack extends PlatformStack {
  /** The REST API. */
  readonly api: QueueIntakeApi;
  /** The queue and its consumer. */
  readonly ingest: QueueConsumer;

  constructor(scope: Construct, id: string, props: IntakeStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    const { security, table, key } = props.data;
    const context = { security, accountId: config.accountId, region: config.region, alarmTopicArn: props.data.alarms.arn };

    this.ingest = new QueueConsumer(this, 'partner-orders', {
      queueName: naming.resource('partner-orders'),
      consumer: {
        name: naming.resource('ingest-partner-order'),
        entry: 'functions/ingest-partner-order/handler.ts',
        environment: { TABLE_NAME: table.name, EVENT_BUS_NAME: props.events.bus.eventBusName },
        timeoutSeconds: 20,
      },
      maxReceiveCount: config.messaging.maxReceiveCount,
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      ...context,
    });
    this.ingest.function.grant('write-orders', [
      ...tableReadWrite('OrdersTable', { arn: table.arn }),
      ...keyUseViaService('OrdersTableKey', key.arn, 'dynamodb', config.region),
      ...putEvents('PutEventsOnBus', props.events.bus.arn),
      ...keyEncryptViaService('BusKey', key.arn, 'events', config.region),
    ]);

    this.api = new QueueIntakeApi(this, 'partner-api', {
      name: naming.resource('partner-api'),
      path: '/v1/partner-orders',
      requestSchema: partnerOrderSchema,
      modelName: 'PartnerOrder',
      queue: this.ingest.queue,
      throttle: { rateLimit: config.partnerApi.rateLimit, burstLimit: config.partnerApi.burstLimit },
      quota: { limit: config.partnerApi.dailyQuota, period: 'DAY' },
      // Access logs need API Gateway's account-wide CloudWatch role; this is the platform's only REST API.
      manageAccountLogging: true,
      ...context,
    });
    new TerraformOutput(this, 'partner_orders_url', { value: `${this.api.invokeUrl}/v1/partner-orders` });
    new TerraformOutput(this, 'partner_api_key_id', { value: this.api.apiKey.id });
  }
}
