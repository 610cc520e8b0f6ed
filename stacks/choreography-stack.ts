import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import type { Construct } from 'constructs';
import { SOURCES } from '../events/sources';
import type { ApiStack } from './api-stack';
import { EventConsumer } from './constructs/event-consumer';
import { NodeFunction } from './constructs/node-function';
import type { DataStack } from './data-stack';
import type { EventsStack } from './events-stack';
import { keyEncryptViaService, keyUseViaService, putEvents, tableReadWrite } from './lib/grants';
import { ServiceRole } from './lib/iam';
import { PUBLISH_ORDER_UPDATE } from './lib/operations';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Props of {@link ChoreographyStack}. */
export interface ChoreographyStackProps extends PlatformStackProps {
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly api: ApiStack;
}

/**
 * Choreography: independent consumers react to domain events through rules with content-based filters,
 * each with its own retry policy and DLQ. Nobody orchestrates them, and none calls another.
 */
export class ChoreographyStack extends PlatformStack {
  /** Awards loyalty points once per completed order. */
  readonly loyalty: EventConsumer;
  /** Tells subscribers about every status change, straight from the bus to AppSync. */
  readonly statusUpdates: EventConsumer;
  /** Publishes outbox events a mutation could not publish itself. */
  readonly republishOutbox: NodeFunction;

  constructor(scope: Construct, id: string, props: ChoreographyStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    const { security, table, key } = props.data;
    const context = { security, accountId: config.accountId, region: config.region };
    const delivery = { bus: props.events.bus, maxEventAgeSeconds: config.messaging.maxEventAgeSeconds, maxRetryAttempts: config.messaging.maxRetryAttempts };
    const tableAccess = [...tableReadWrite('OrdersTable', { arn: table.arn }), ...keyUseViaService('OrdersTableKey', key.arn, 'dynamodb', config.region)];

    const awardPoints = new NodeFunction(this, 'award-loyalty-points', {
      name: naming.resource('award-loyalty-points'),
      entry: 'functions/award-loyalty-points/handler.ts',
      environment: { TABLE_NAME: table.name },
      ...context,
    });
    awardPoints.grant('orders-table', tableAccess);
    this.loyalty = new EventConsumer(this, 'loyalty', {
      name: naming.resource('loyalty-on-completed'),
      description: 'Award loyalty points when an order completes',
      eventPattern: { source: [SOURCES.fulfilment], 'detail-type': ['OrderCompleted'] },
      function: awardPoints,
      ...delivery,
      accountId: config.accountId,
      region: config.region,
    });

    this.statusUpdates = new EventConsumer(this, 'status-updates', {
      name: naming.resource('status-to-subscribers'),
      description: 'Push every order status change to its owner through AppSync publishOrderUpdate',
      eventPattern: { source: [SOURCES.fulfilment], 'detail-type': ['OrderStatusChanged'] },
      graphql: { apiId: props.api.graphql.api.id, fieldName: 'publishOrderUpdate', operation: PUBLISH_ORDER_UPDATE },
      input: {
        paths: { id: '$.detail.data.orderId', status: '$.detail.data.status', reason: '$.detail.data.reason' },
        template: '{"input": {"id": <id>, "status": <status>, "reason": <reason>}}',
      },
      ...delivery,
      accountId: config.accountId,
      region: config.region,
    });

    this.republishOutbox = new NodeFunction(this, 'republish-outbox', {
      name: naming.resource('republish-outbox'),
      entry: 'functions/republish-outbox/handler.ts',
      environment: { TABLE_NAME: table.name, EVENT_BUS_NAME: props.events.bus.eventBusName },
      timeoutSeconds: 50,
      // One sweep at a time: two would publish the same items twice (harmless, but wasteful).
      reservedConcurrency: 1,
      ...context,
    });
    this.republishOutbox.grant('outbox', [
      ...tableAccess,
      ...putEvents('PutEventsOnBus', props.events.bus.arn),
      ...keyEncryptViaService('BusKey', key.arn, 'events', config.region),
    ]);
    const scheduler = new ServiceRole(this, 'outbox-schedule-role', {
      name: naming.limited(64, 'outbox-schedule'),
      service: 'scheduler.amazonaws.com',
      sourceAccount: config.accountId,
    });
    scheduler.grant('invoke-republish-outbox', [{ sid: 'InvokeRepublishOutbox', actions: ['lambda:InvokeFunction'], resources: [this.republishOutbox.arn] }]);
    new SchedulerSchedule(this, 'outbox-schedule', {
      name: naming.resource('republish-outbox'),
      description: 'Publish outbox events older than a minute that their mutation could not publish',
      scheduleExpression: 'rate(1 minute)',
      flexibleTimeWindow: { mode: 'OFF' },
      // A missed sweep is made up by the next one a minute later, so no retries and no DLQ.
      target: { arn: this.republishOutbox.arn, roleArn: scheduler.role.arn, retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
    });
  }
}
