import type { Construct } from 'constructs';
import { EventBus } from './constructs/event-bus';
import type { DataStack } from './data-stack';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Props of {@link EventsStack}. */
export interface EventsStackProps extends PlatformStackProps {
  readonly data: DataStack;
}

/** The event backbone: the orders bus (KMS, replay archive, closed bus policy) and the shared DLQ of rule targets. */
export class EventsStack extends PlatformStack {
  /** The orders domain's custom bus. */
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    this.bus = new EventBus(this, 'bus', {
      name: this.naming.resource('bus'),
      security: props.data.security,
      accountId: this.config.accountId,
      region: this.config.region,
      archiveRetentionDays: this.config.messaging.archiveRetentionDays,
      alarmTopicArn: props.data.alarms.arn,
    });
  }
}
