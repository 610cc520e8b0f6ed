import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/** Options of {@link sqsRecord}. */
export interface SqsRecordOptions {
  readonly messageId?: string;
  readonly queueName?: string;
  readonly receiveCount?: number;
  /** Epoch milliseconds the message was sent. */
  readonly sentTimestamp?: number;
  /** String message attributes, e.g. `{ correlationId: '...' }`. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** An SQS record as an event source mapping delivers it; an object body is sent as its JSON. */
export function sqsRecord(body: string | object, options: SqsRecordOptions = {}): SQSRecord {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const sent = options.sentTimestamp ?? Date.parse('2026-11-28T10:00:01.000Z');
  const messageAttributes: SQSMessageAttributes = Object.fromEntries(
    Object.entries(options.attributes ?? {}).map(([name, value]) => [name, { dataType: 'String', stringValue: value, stringListValues: [], binaryListValues: [] }]),
  );
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `AQEB${createHash('sha256').update(text).digest('base64')}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(sent),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(sent + 40),
    },
    messageAttributes,
    md5OfBody: createHash('md5').update(text).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-west-1:123456789012:${options.queueName ?? 'orders-test-queue'}`,
    awsRegion: 'eu-west-1',
  };
}

/** A batch of records, as one invocation receives it. */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
