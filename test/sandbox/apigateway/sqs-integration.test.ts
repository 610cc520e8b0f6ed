import { createHash } from 'node:crypto';
import { invokeSqs, md5OfMessageAttributes, sqsTarget } from '../../../sandbox/services/apigateway';
import { QUEUE_ARN, RecordingQueueSender } from './fixture';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('sqsTarget', () => {
  it('reads path-style and action-style SQS integration uris', () => {
    expect(sqsTarget('arn:aws:apigateway:eu-west-1:sqs:path/111122223333/orders-test-partner-orders', 'us-east-1')).toEqual({ queueArn: QUEUE_ARN });
    expect(sqsTarget('arn:aws:apigateway::sqs:path/111122223333/q', 'eu-west-1')).toEqual({ queueArn: 'arn:aws:sqs:eu-west-1:111122223333:q' });
    expect(sqsTarget('arn:aws:apigateway:eu-west-1:sqs:action/SendMessage', 'eu-west-1')).toEqual({ action: 'SendMessage' });
    expect(sqsTarget('arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/f/invocations', 'eu-west-1')).toBeUndefined();
  });
});

describe('invokeSqs', () => {
  const target = { queueArn: QUEUE_ARN };

  it('sends a form-encoded SendMessage with attributes and answers as SQS does in JSON', async () => {
    const sender = new RecordingQueueSender();
    const body = new URLSearchParams({
      Action: 'SendMessage',
      MessageBody: '{"a":"b c&d"}',
      'MessageAttribute.1.Name': 'apiKeyId',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'key-1',
      'MessageAttribute.2.Name': 'blob',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': Buffer.from('bytes').toString('base64'),
    }).toString();
    const result = await invokeSqs(target, { headers: FORM, querystring: {}, body }, sender);
    const attributes = { apiKeyId: { DataType: 'String', StringValue: 'key-1' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') } };
    expect(sender.sent).toEqual([{ queue: QUEUE_ARN, body: '{"a":"b c&d"}', messageAttributes: attributes }]);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      SendMessageResponse: {
        ResponseMetadata: { RequestId: result.headers['x-amzn-requestid'] },
        SendMessageResult: { MD5OfMessageAttributes: md5OfMessageAttributes(attributes), MD5OfMessageBody: md5('{"a":"b c&d"}'), MD5OfMessageSystemAttributes: null, MessageId: 'msg-1', SequenceNumber: null },
      },
    });
  });

  it('takes the parameters from the query string too (request_parameters mapping)', async () => {
    const sender = new RecordingQueueSender();
    const result = await invokeSqs({ action: 'SendMessage' }, { headers: { 'content-type': 'application/json' }, querystring: { QueueUrl: 'http://sqs.local/1/q', MessageBody: 'hello' }, body: '{}' }, sender);
    expect(result.statusCode).toBe(200);
    expect(sender.sent).toEqual([{ queue: 'http://sqs.local/1/q', body: 'hello' }]);
  });

  it('speaks the JSON protocol when the integration sends X-Amz-Target', async () => {
    const sender = new RecordingQueueSender();
    const result = await invokeSqs(
      target,
      { headers: { 'X-Amz-Target': 'AmazonSQS.SendMessage', 'content-type': 'application/x-amz-json-1.0' }, querystring: {}, body: JSON.stringify({ MessageBody: 'hi', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }) },
      sender,
    );
    expect(JSON.parse(result.body)).toEqual({ MD5OfMessageBody: md5('hi'), MessageId: 'msg-1', MD5OfMessageAttributes: md5OfMessageAttributes({ k: { DataType: 'String', StringValue: 'v' } }) });
    expect(sender.sent).toEqual([{ queue: QUEUE_ARN, body: 'hi', messageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }]);
  });

  it('answers SQS errors: no Action (form content type not mapped), no body, another action, a missing queue', async () => {
    const sender = new RecordingQueueSender();
    sender.missing.add(QUEUE_ARN);
    const call = async (headers: Record<string, string>, body: string) => {
      const result = await invokeSqs(target, { headers, querystring: {}, body }, sender);
      return [result.statusCode, (JSON.parse(result.body) as { Error: { Code: string } }).Error.Code];
    };
    expect(await call({ 'content-type': 'application/json' }, 'Action=SendMessage&MessageBody=x')).toEqual([400, 'MissingAction']);
    expect(await call(FORM, 'Action=SendMessage')).toEqual([400, 'MissingParameter']);
    expect(await call(FORM, 'Action=DeleteQueue')).toEqual([400, 'InvalidAction']);
    expect(await call(FORM, 'Action=SendMessage&MessageBody=x')).toEqual([400, 'AWS.SimpleQueueService.NonExistentQueue']);
  });
});
