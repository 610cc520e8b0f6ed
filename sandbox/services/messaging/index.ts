// The sandbox's messaging service: SQS, SNS and S3 on fauxqs, with SNS → Lambda, S3 notifications and SQS event source mappings.
export { messagingAttributes } from './attributes';
export { MESSAGING_INSPECT, messagingInspector } from './inspect';
export type { MessagingInspector } from './inspect';
export { QueuePoller, readBatchResponse, sqsLambdaRecord } from './queue-poller';
export type { BatchResponse, PollerTiming, SqsLambdaMessageAttribute, SqsLambdaRecord } from './queue-poller';
export { encodeS3EventKey, s3EventBridgeEntry, s3EventNotification, S3Notifier, Sequencer, targetWants } from './s3-notifications';
export type { S3Change, S3EventName, S3EventNotification, S3EventRecord } from './s3-notifications';
export { ACCEPTED_MESSAGING_RESOURCES, messagingService } from './service';
export type { MessagingServiceOptions } from './service';
export { passesFilterPolicy, snsLambdaEvent } from './sns-lambda';
export type { SnsLambdaEvent } from './sns-lambda';
