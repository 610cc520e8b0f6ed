// The SQS side of an AWS-service integration: API Gateway sends the request its mapping template built
// to SQS and reads SQS's answer (as JSON, which API Gateway asks AWS services for). Both SQS protocols are
// understood: the query protocol (`Action=SendMessage&MessageBody=...`, form-encoded, what the classic
// API Gateway → SQS pattern sends) and the JSON protocol (`X-Amz-Target: AmazonSQS.SendMessage`).
import { createHash, randomUUID } from 'node:crypto';
import type { MessageAttributes, QueueSender } from '../capabilities';

/** The request API Gateway sends to the integration, after mapping. */
export interface IntegrationRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the integration answered. */
export interface IntegrationResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The queue an integration uri addresses: `sqs:path/<account>/<queue>`, or `sqs:action/<Action>` (the request names the queue). */
export interface SqsTarget {
  readonly queueArn?: string;
  readonly action?: string;
}

/** Reads an `arn:aws:apigateway:<region>:sqs:...` integration uri; undefined when it is no SQS uri. */
export function sqsTarget(uri: string, defaultRegion: string): SqsTarget | undefined {
  const match = /^arn:aws:apigateway:([^:]*):sqs:(path|action)\/(.+)$/.exec(uri);
  if (!match) return undefined;
  const [, region, kind, rest] = match as unknown as [string, string, string, string];
  if (kind === 'action') return { action: rest.split(/[?&]/)[0] as string };
  const [account, queue] = rest.split('/');
  if (!account || !queue) return undefined;
  return { queueArn: `arn:aws:sqs:${region || defaultRegion}:${account}:${queue}` };
}

function md5(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

/** SQS's MD5 of message attributes: names sorted, each length-prefixed with its type and value. */
export function md5OfMessageAttributes(attributes: MessageAttributes): string {
  const parts: Buffer[] = [];
  const prefixed = (data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    parts.push(length, data);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name] as MessageAttributes[string];
    prefixed(Buffer.from(name, 'utf8'));
    prefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      prefixed(Buffer.from(attribute.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      prefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}

class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface SendMessageInput {
  readonly queue: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly delaySeconds?: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** Query protocol parameters: the query string and, when form-encoded, the body. */
function queryParameters(request: IntegrationRequest, target: SqsTarget): Record<string, string> {
  const parameters: Record<string, string> = { ...request.querystring };
  const contentType = (header(request.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(request.body)) parameters[name] = value;
  } else if (parameters.Action === undefined && target.action === undefined) {
    throw new SqsError(
      'MissingAction',
      `The request must contain the parameter Action. The integration sent Content-Type ${contentType || '(none)'}; an SQS integration maps integration.request.header.Content-Type to 'application/x-www-form-urlencoded'.`,
    );
  }
  return parameters;
}

function fromQuery(parameters: Record<string, string>, target: SqsTarget): SendMessageInput {
  const action = target.action ?? parameters.Action;
  if (action !== 'SendMessage') throw new SqsError('InvalidAction', `The action ${action ?? '(none)'} is not valid for this endpoint (the sandbox emulates SendMessage).`);
  const queue = target.queueArn ?? parameters.QueueUrl;
  if (!queue) throw new SqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
  const body = parameters.MessageBody;
  if (body === undefined || body === '') throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const attributes: Record<string, MessageAttributes[string]> = {};
  for (const [name, value] of Object.entries(parameters)) {
    const match = /^MessageAttribute\.(\d+)\.Name$/.exec(name);
    if (!match) continue;
    const prefix = `MessageAttribute.${match[1] as string}.Value`;
    const dataType = parameters[`${prefix}.DataType`];
    if (!dataType) throw new SqsError('InvalidParameterValue', `The message attribute '${value}' must contain a non-empty attribute type.`);
    const binary = parameters[`${prefix}.BinaryValue`];
    attributes[value] = binary !== undefined ? { DataType: dataType, BinaryValue: Buffer.from(binary, 'base64') } : { DataType: dataType, StringValue: parameters[`${prefix}.StringValue`] ?? '' };
  }
  return {
    queue,
    body,
    attributes,
    ...(parameters.DelaySeconds !== undefined ? { delaySeconds: Number(parameters.DelaySeconds) } : {}),
    ...(parameters.MessageGroupId !== undefined ? { groupId: parameters.MessageGroupId } : {}),
    ...(parameters.MessageDeduplicationId !== undefined ? { deduplicationId: parameters.MessageDeduplicationId } : {}),
  };
}

function fromJson(request: IntegrationRequest, target: SqsTarget, operation: string): SendMessageInput {
  if (operation !== 'SendMessage') throw new SqsError('InvalidAction', `The action ${operation} is not valid for this endpoint (the sandbox emulates SendMessage).`);
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(request.body) as Record<string, unknown>;
  } catch {
    throw new SqsError('SerializationException', 'The request body is not JSON.');
  }
  const queue = target.queueArn ?? (typeof input.QueueUrl === 'string' ? input.QueueUrl : undefined);
  if (!queue) throw new SqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
  if (typeof input.MessageBody !== 'string' || input.MessageBody === '') throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const attributes: Record<string, MessageAttributes[string]> = {};
  for (const [name, value] of Object.entries((input.MessageAttributes ?? {}) as Record<string, Record<string, unknown>>)) {
    attributes[name] =
      value.BinaryValue !== undefined
        ? { DataType: String(value.DataType), BinaryValue: Buffer.from(String(value.BinaryValue), 'base64') }
        : { DataType: String(value.DataType), StringValue: String(value.StringValue ?? '') };
  }
  return {
    queue,
    body: input.MessageBody,
    attributes,
    ...(input.DelaySeconds !== undefined ? { delaySeconds: Number(input.DelaySeconds) } : {}),
    ...(typeof input.MessageGroupId === 'string' ? { groupId: input.MessageGroupId } : {}),
    ...(typeof input.MessageDeduplicationId === 'string' ? { deduplicationId: input.MessageDeduplicationId } : {}),
  };
}

/** Errors of the queue sender as SQS codes. */
function senderError(error: Error): SqsError {
  const text = `${error.name} ${error.message}`;
  if (/NonExistentQueue|QueueDoesNotExist|does not exist/i.test(text)) return new SqsError('AWS.SimpleQueueService.NonExistentQueue', error.message);
  if (/InvalidParameter|MissingParameter|InvalidMessageContents|too long/i.test(text)) return new SqsError(error.name.replace(/Exception$/, '') || 'InvalidParameterValue', error.message);
  return new SqsError('InternalFailure', error.message, 500);
}

/** Sends what an SQS integration request asks for and answers as SQS does (in the protocol it was called with). */
export async function invokeSqs(target: SqsTarget, request: IntegrationRequest, sender: QueueSender): Promise<IntegrationResult> {
  const requestId = randomUUID();
  const amzTarget = header(request.headers, 'x-amz-target');
  const json = amzTarget !== undefined;
  try {
    const input = json ? fromJson(request, target, amzTarget.replace(/^AmazonSQS\./, '')) : fromQuery(queryParameters(request, target), target);
    const hasAttributes = Object.keys(input.attributes).length > 0;
    const sent = await sender
      .sendMessage(input.queue, input.body, {
        ...(hasAttributes ? { messageAttributes: input.attributes } : {}),
        ...(input.delaySeconds !== undefined ? { delaySeconds: input.delaySeconds } : {}),
        ...(input.groupId !== undefined ? { messageGroupId: input.groupId } : {}),
        ...(input.deduplicationId !== undefined ? { deduplicationId: input.deduplicationId } : {}),
      })
      .catch((error: Error) => {
        throw senderError(error);
      });
    const md5OfAttributes = hasAttributes ? md5OfMessageAttributes(input.attributes) : null;
    const result = json
      ? { MD5OfMessageBody: md5(input.body), MessageId: sent.messageId, ...(md5OfAttributes ? { MD5OfMessageAttributes: md5OfAttributes } : {}) }
      : {
          SendMessageResponse: {
            ResponseMetadata: { RequestId: requestId },
            SendMessageResult: { MD5OfMessageAttributes: md5OfAttributes, MD5OfMessageBody: md5(input.body), MD5OfMessageSystemAttributes: null, MessageId: sent.messageId, SequenceNumber: null },
          },
        };
    return { statusCode: 200, headers: { 'content-type': json ? 'application/x-amz-json-1.0' : 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(result) };
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    const body = json
      ? { __type: `com.amazonaws.sqs#${error.code}`, message: error.message }
      : { Error: { Code: error.code, Message: error.message, Type: error.status >= 500 ? 'Receiver' : 'Sender' }, RequestId: requestId };
    return { statusCode: error.status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(body) };
  }
}
