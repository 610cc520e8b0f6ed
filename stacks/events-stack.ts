import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** The event backbone every domain event travels on. */
export class EventsStack extends PlatformStack {
  /** The orders domain's custom bus. */
  readonly bus: CloudwatchEventBus;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.bus = new CloudwatchEventBus(this, 'bus', { name: this.naming.resource('bus') });
  }
}
