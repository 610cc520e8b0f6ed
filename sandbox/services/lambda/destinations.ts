import type { CapabilityRegistry } from '../../core/service';
import { EVENTBRIDGE_PUBLISHER, SNS_PUBLISHER, SQS_SENDER, type EventPublisher, type QueueSender, type TopicPublisher } from '../capabilities';
import type { InvocationRecord, LambdaInvoker } from './contracts';

/** What an asynchronous invocation's destination ARN names. */
export type DestinationKind = 'sqs' | 'sns' | 'eventbridge' | 'lambda' | 's3';

const KINDS: readonly [DestinationKind, RegExp][] = [
  ['sqs', /^arn:aws[a-z-]*:sqs:[^:]+:\d{12}:[^:/]+$/],
  ['sns', /^arn:aws[a-z-]*:sns:[^:]+:\d{12}:[^:/]+$/],
  ['eventbridge', /^arn:aws[a-z-]*:events:[^:]+:\d{12}:event-bus\/[^:]+$/],
  ['lambda', /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:]+(?::[^:]+)?$/],
  ['s3', /^arn:aws[a-z-]*:s3:::[^:/]+$/],
];

/** The kind of destination an ARN names, or undefined when Lambda cannot send records to it. */
export function destinationKind(arn: string): DestinationKind | undefined {
  return KINDS.find(([, pattern]) => pattern.test(arn))?.[0];
}

/** Where a record goes and what the sandbox sends it with. */
export interface DestinationContext {
  /** Read at delivery time, so the record reaches whichever services run. */
  readonly registry: CapabilityRegistry;
  /** The sandbox's own functions, for a function destination. */
  readonly invoker: LambdaInvoker;
}

/**
 * Sends an invocation record as Lambda does: the record's JSON as an SQS message body or an SNS message, as the
 * `detail` of an EventBridge event (source `lambda`, detail-type `Lambda Function Invocation Result - Success` or
 * `- Failure`, resources the bus and the function), or as the event of an asynchronous invocation of a function.
 * Rejects with why the record could not be delivered (Lambda's DestinationDeliveryFailures).
 */
export async function sendRecord(destination: string, record: InvocationRecord, context: DestinationContext): Promise<void> {
  const body = JSON.stringify(record);
  switch (destinationKind(destination)) {
    case 'sqs':
      if (destination.endsWith('.fifo')) throw new Error('Lambda cannot send records to a FIFO queue');
      await capability<QueueSender>(context.registry, SQS_SENDER, 'SQS').sendMessage(destination, body);
      return;
    case 'sns':
      if (destination.endsWith('.fifo')) throw new Error('Lambda cannot send records to a FIFO topic');
      await capability<TopicPublisher>(context.registry, SNS_PUBLISHER, 'SNS').publish(destination, body);
      return;
    case 'eventbridge': {
      const result = await capability<EventPublisher>(context.registry, EVENTBRIDGE_PUBLISHER, 'EventBridge').putEvents([
        {
          Source: 'lambda',
          DetailType: `Lambda Function Invocation Result - ${record.requestContext.condition === 'Success' ? 'Success' : 'Failure'}`,
          Detail: body,
          EventBusName: destination,
          Resources: [destination, record.requestContext.functionArn],
        },
      ]);
      const entry = result.Entries[0];
      if (result.FailedEntryCount > 0 && entry && 'ErrorCode' in entry) throw new Error(`PutEvents failed: ${entry.ErrorCode}: ${entry.ErrorMessage}`);
      return;
    }
    case 'lambda':
      await context.invoker.invoke(destination, record, { invocationType: 'Event' });
      return;
    case 's3':
      throw new Error('the sandbox does not emulate S3 bucket destinations');
    default:
      throw new Error('Lambda sends records to SQS queues, SNS topics, EventBridge buses, functions and S3 buckets only');
  }
}

function capability<T>(registry: CapabilityRegistry, key: string, service: string): T {
  const found = registry.find<T>(key);
  if (!found) throw new Error(`no sandbox service provides ${service} (${key})`);
  return found;
}
