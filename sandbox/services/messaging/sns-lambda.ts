import type { Logger } from '../../core/logger';
import type { LambdaInvoker } from '../lambda/contracts';
import type { Fauxqs, FauxqsSnsStore, FauxqsSubscription } from './fauxqs';
import type { SnsPublication } from './observe';

/** The event Lambda receives from an SNS subscription. */
export interface SnsLambdaEvent {
  readonly Records: readonly {
    readonly EventVersion: '1.0';
    readonly EventSubscriptionArn: string;
    readonly EventSource: 'aws:sns';
    readonly Sns: {
      readonly Type: 'Notification';
      readonly MessageId: string;
      readonly TopicArn: string;
      readonly Subject: string | null;
      readonly Message: string;
      readonly Timestamp: string;
      readonly SignatureVersion: '1';
      readonly Signature: string;
      readonly SigningCertUrl: string;
      readonly UnsubscribeUrl: string;
      readonly MessageAttributes: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
    };
  }[];
}

/** The SNS event for one subscription, in the shape (and field order) Lambda delivers it. */
export function snsLambdaEvent(publication: SnsPublication, subscriptionArn: string, region: string): SnsLambdaEvent {
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        EventSource: 'aws:sns',
        Sns: {
          Type: 'Notification',
          MessageId: publication.messageId,
          TopicArn: publication.topicArn,
          Subject: publication.subject ?? null,
          Message: lambdaMessage(publication),
          Timestamp: publication.timestamp,
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`,
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: Object.fromEntries(
            Object.entries(publication.messageAttributes).map(([name, value]) => [name, { Type: value.DataType, Value: value.StringValue ?? value.BinaryValue ?? '' }]),
          ),
        },
      },
    ],
  };
}

/** With `MessageStructure: json` each protocol gets its own message: `lambda`, else `default`. */
function lambdaMessage(publication: SnsPublication): string {
  if (publication.messageStructure !== 'json') return publication.message;
  const messages = JSON.parse(publication.message) as Record<string, string>;
  return messages.lambda ?? messages.default ?? '';
}

/** Whether a subscription's filter policy lets a message through (fauxqs's matcher, as for its SQS subscriptions). */
export function passesFilterPolicy(fauxqs: Pick<Fauxqs, 'matchesFilterPolicy' | 'matchesFilterPolicyOnBody'>, subscription: FauxqsSubscription, publication: SnsPublication): boolean {
  const policy = subscription.attributes.FilterPolicy;
  if (!policy) return true;
  const parsed = JSON.parse(policy) as unknown;
  return subscription.attributes.FilterPolicyScope === 'MessageBody'
    ? fauxqs.matchesFilterPolicyOnBody(parsed, lambdaMessage(publication))
    : fauxqs.matchesFilterPolicy(parsed, { ...publication.messageAttributes });
}

/**
 * Delivers published messages to the topic's `lambda` subscriptions (fauxqs delivers only to SQS): filter
 * policy first, then an asynchronous (`Event`) invocation with the SNS event, as SNS invokes Lambda.
 */
export class SnsLambdaDelivery {
  constructor(
    private readonly fauxqs: Fauxqs,
    private readonly store: FauxqsSnsStore,
    private readonly invoker: () => LambdaInvoker | undefined,
    private readonly context: { readonly region: string; readonly logger: Logger },
  ) {}

  async deliver(publication: SnsPublication): Promise<void> {
    const subscriptions = this.store.listSubscriptionsByTopic(publication.topicArn).filter((subscription) => subscription.protocol === 'lambda');
    await Promise.all(subscriptions.map((subscription) => this.deliverTo(subscription, publication)));
  }

  private async deliverTo(subscription: FauxqsSubscription, publication: SnsPublication): Promise<void> {
    const { logger, region } = this.context;
    try {
      if (!passesFilterPolicy(this.fauxqs, subscription, publication)) return;
      const invoker = this.invoker();
      if (!invoker) {
        logger.warn(`No Lambda service runs: message ${publication.messageId} of ${publication.topicArn} is not delivered to ${subscription.endpoint}`);
        return;
      }
      await invoker.invoke(subscription.endpoint, snsLambdaEvent(publication, subscription.arn, region), { invocationType: 'Event' });
    } catch (error) {
      logger.warn(`SNS delivery of message ${publication.messageId} to ${subscription.endpoint} failed: ${(error as Error).message}`);
    }
  }
}
