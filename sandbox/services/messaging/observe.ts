import type { FauxqsAttributeValue, FauxqsS3Store } from './fauxqs';
import type { S3Change, S3EventName, Sequencer } from './s3-notifications';

// fauxqs has no S3 event notifications and no Lambda subscriptions, and its message spy sees too little for
// them (no subject, no copy/multipart distinction, a bounded buffer). Its Fastify app does expose hooks: an
// onSend hook sees each request with its parsed body and the answer fauxqs is about to send, which is all
// the notifications need. These functions read one such exchange; they never change it.

/** What an onSend hook sees of the request. */
export interface ObservedRequest {
  readonly method: string;
  readonly params: unknown;
  readonly query: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly ip: string;
}

/** What an onSend hook sees of the reply. */
export interface ObservedReply {
  readonly statusCode: number;
  getHeader(name: string): unknown;
}

/** One message published to a topic, as the SNS API accepted it. */
export interface SnsPublication {
  readonly topicArn: string;
  readonly messageId: string;
  readonly message: string;
  readonly subject?: string;
  /** `json` when the message holds one message per protocol. */
  readonly messageStructure?: string;
  readonly messageAttributes: Readonly<Record<string, FauxqsAttributeValue>>;
  readonly timestamp: string;
}

/** The messages a successful SNS Publish or PublishBatch request published. */
export function snsPublications(request: ObservedRequest, reply: ObservedReply, payload: unknown): SnsPublication[] {
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method !== 'POST' || reply.statusCode !== 200 || !contentType.includes('x-www-form-urlencoded')) return [];
  const params = (request.body ?? {}) as Record<string, string>;
  const answer = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
  const timestamp = new Date().toISOString();
  if (params.Action === 'Publish') {
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(answer)?.[1];
    const topicArn = params.TopicArn ?? params.TargetArn;
    if (!messageId || !topicArn) return [];
    return [publication(topicArn, messageId, timestamp, params, '')];
  }
  if (params.Action === 'PublishBatch') {
    const successful = /<Successful>([\s\S]*?)<\/Successful>/.exec(answer)?.[1] ?? '';
    const ids = new Map([...successful.matchAll(/<Id>([^<]*)<\/Id>\s*<MessageId>([^<]+)<\/MessageId>/g)].map((match) => [match[1] as string, match[2] as string]));
    const entries: SnsPublication[] = [];
    for (const key of Object.keys(params)) {
      const index = /^PublishBatchRequestEntries\.member\.(\d+)\.Id$/.exec(key)?.[1];
      const messageId = index === undefined ? undefined : ids.get(params[key] as string);
      if (index !== undefined && messageId && params.TopicArn) {
        entries.push(publication(params.TopicArn, messageId, timestamp, params, `PublishBatchRequestEntries.member.${index}.`));
      }
    }
    return entries;
  }
  return [];
}

function publication(topicArn: string, messageId: string, timestamp: string, params: Record<string, string>, prefix: string): SnsPublication {
  const messageAttributes: Record<string, FauxqsAttributeValue> = {};
  const attributePrefix = `${prefix}MessageAttributes.entry.`;
  for (const key of Object.keys(params)) {
    if (!key.startsWith(attributePrefix) || !key.endsWith('.Name')) continue;
    const entry = key.slice(0, -'Name'.length);
    const dataType = params[`${entry}Value.DataType`];
    if (!dataType) continue;
    const value: FauxqsAttributeValue = { DataType: dataType };
    if (params[`${entry}Value.StringValue`] !== undefined) value.StringValue = params[`${entry}Value.StringValue`];
    if (params[`${entry}Value.BinaryValue`] !== undefined) value.BinaryValue = params[`${entry}Value.BinaryValue`];
    messageAttributes[params[key] as string] = value;
  }
  return {
    topicArn,
    messageId,
    message: params[`${prefix}Message`] ?? '',
    ...(params[`${prefix}Subject`] !== undefined ? { subject: params[`${prefix}Subject`] } : {}),
    ...(params[`${prefix}MessageStructure`] !== undefined ? { messageStructure: params[`${prefix}MessageStructure`] } : {}),
    messageAttributes,
    timestamp,
  };
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[entity] as string);
}

/**
 * The object writes and deletes a successful S3 request made: PutObject, CopyObject, CompleteMultipartUpload,
 * DeleteObject and DeleteObjects. Sizes and ETags are read from the store right after the write.
 */
export function s3Changes(request: ObservedRequest, reply: ObservedReply, payload: unknown, store: FauxqsS3Store, sequencer: Sequencer): S3Change[] {
  if (reply.statusCode !== 200 && reply.statusCode !== 204) return [];
  const params = (request.params ?? {}) as { bucket?: string; '*'?: string };
  const query = (request.query ?? {}) as Record<string, string | undefined>;
  const bucket = params.bucket;
  if (!bucket) return [];
  const key = params['*'] ?? '';
  const common = { bucket, time: new Date(), requestId: String(reply.getHeader('x-amz-request-id') ?? ''), sourceIp: request.ip };
  const created = (eventName: S3EventName): S3Change[] => {
    const object = store.buckets.get(bucket)?.get(key);
    if (!object) return [];
    return [{ ...common, eventName, key, size: object.contentLength, eTag: object.etag.replace(/"/g, ''), sequencer: sequencer.next() }];
  };
  if (request.method === 'PUT' && key && !(query.uploadId && query.partNumber)) {
    return created(request.headers['x-amz-copy-source'] ? 'ObjectCreated:Copy' : 'ObjectCreated:Put');
  }
  if (request.method === 'POST' && key && query.uploadId) return created('ObjectCreated:CompleteMultipartUpload');
  if (request.method === 'DELETE' && key && !query.uploadId) return [{ ...common, eventName: 'ObjectRemoved:Delete', key, sequencer: sequencer.next() }];
  if (request.method === 'POST' && !key && 'delete' in query) {
    const answer = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    return [...answer.matchAll(/<Deleted><Key>([\s\S]*?)<\/Key><\/Deleted>/g)].map((match) => ({
      ...common,
      eventName: 'ObjectRemoved:Delete' as const,
      key: unescapeXml(match[1] as string),
      sequencer: sequencer.next(),
    }));
  }
  return [];
}
