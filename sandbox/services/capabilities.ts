/**
 * Capabilities sandbox services offer each other, beyond those a service already defines next to itself
 * (`dynamodb.client`, `cognito.verifier`, `lambda.invoker`, `appsync.engine`...). A target-delivering
 * service (EventBridge, SNS, S3 notifications, schedules) looks these up at delivery time with
 * `registry.find`, so it works with whichever services run.
 */

/** Message attributes as SQS and SNS carry them. */
export type MessageAttributes = Readonly<Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>>;

/** Sends to an SQS queue by ARN or URL. Provided by the messaging service. */
export interface QueueSender {
  sendMessage(queueArnOrUrl: string, body: string, options?: { messageAttributes?: MessageAttributes; messageGroupId?: string; deduplicationId?: string; delaySeconds?: number }): Promise<{ messageId: string }>;
}
export const SQS_SENDER = 'messaging.sqs';

/** Publishes to an SNS topic by ARN. Provided by the messaging service. */
export interface TopicPublisher {
  publish(topicArn: string, message: string, options?: { subject?: string; messageAttributes?: MessageAttributes; messageGroupId?: string }): Promise<{ messageId: string }>;
}
export const SNS_PUBLISHER = 'messaging.sns';

/** One entry of EventBridge PutEvents, as the SDK names its fields. */
export interface PutEventsEntry {
  readonly Source: string;
  readonly DetailType: string;
  /** JSON text. */
  readonly Detail: string;
  /** Bus name or ARN. @default 'default' */
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
  readonly Time?: Date | string;
}

/** PutEvents' answer: one entry per input entry, in order. */
export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: readonly ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[];
}

/** Puts events on a bus. Provided by the EventBridge service (also for S3 → EventBridge and schedules). */
export interface EventPublisher {
  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResult>;
}
export const EVENTBRIDGE_PUBLISHER = 'eventbridge.publisher';

/** Starts a Step Functions execution. Provided by the Step Functions service (a later issue). */
export interface ExecutionStarter {
  startExecution(stateMachineArn: string, input: string, name?: string): Promise<{ executionArn: string; startDate: Date }>;
}
export const STEP_FUNCTIONS_STARTER = 'stepfunctions.starter';

/**
 * HTTP endpoints of local services for AWS SDK clients, by the SDK's `AWS_ENDPOINT_URL_<SERVICE>` suffix
 * (`SQS`, `SNS`, `S3`, `EVENTBRIDGE`, `SES`, `SESV2`, `SCHEDULER`...). Each service provides
 * `endpointCapability(<suffix>)`; the aws-environment service turns them into the variables Lambda
 * functions see.
 */
export function endpointCapability(sdkServiceSuffix: string): string {
  return `endpoint.${sdkServiceSuffix}`;
}
