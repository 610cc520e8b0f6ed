import { randomUUID } from 'node:crypto';
import type { SNSEvent, SNSMessage } from 'aws-lambda';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:orders-test-media-uploads';

/** The SNS notification envelope, as a subscription without raw message delivery receives it. */
export function snsMessage(message: string | object, topicArn = TOPIC_ARN): SNSMessage {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: topicArn,
    Subject: 'Amazon S3 Notification',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-11-28T10:00:00.512Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
    SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:0b6941c5`,
    MessageAttributes: {},
  };
}

/** An SNS event as a directly subscribed Lambda function receives it. */
export function snsEvent(...messages: (string | object)[]): SNSEvent {
  return {
    Records: messages.map((message) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      EventSource: 'aws:sns',
      Sns: snsMessage(message),
    })),
  };
}

/** One upload in an S3 event notification. */
export interface UploadedObject {
  readonly bucket?: string;
  /** Unencoded; the factory encodes it the way S3 does. */
  readonly key: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly eventName?: string;
}

/** An S3 event notification (what S3 publishes to SNS, and raw delivery puts in an SQS body). */
export function s3Notification(...objects: UploadedObject[]) {
  return {
    Records: objects.map((object, index) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2026-11-28T10:00:00.250Z',
      eventName: object.eventName ?? 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDAEXAMPLEUPLOADER' },
      requestParameters: { sourceIPAddress: '203.0.113.7' },
      responseElements: { 'x-amz-request-id': `C3D13FE58DE4C81${index}`, 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'media-uploads',
        bucket: { name: object.bucket ?? 'orders-test-media', ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${object.bucket ?? 'orders-test-media'}` },
        object: {
          key: encodeURIComponent(object.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
          size: object.size ?? 2048,
          eTag: object.eTag ?? 'd41d8cd98f00b204e9800998ecf8427e',
          ...(object.versionId ? { versionId: object.versionId } : {}),
          sequencer: `0055AED6DCD9028${index}`,
        },
      },
    })),
  };
}

/** The test notification S3 sends when a bucket's notifications are configured. */
export function s3TestEvent() {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-28T09:59:00.000Z', Bucket: 'orders-test-media', RequestId: '5582815E1AEA5ADF', HostId: 'example' };
}
