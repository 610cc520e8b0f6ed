import type { PolicyStatement } from './iam';

const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** What a grant needs to know about a table. */
export interface TableRef {
  readonly arn: string;
}

/** Item reads on a table and its indexes (transactions need the per-item actions, which these include). */
export function tableRead(sid: string, table: TableRef): PolicyStatement[] {
  return [{ sid, actions: TABLE_READ_ACTIONS, resources: [table.arn, `${table.arn}/index/*`] }];
}

/** Item reads and writes on a table; writes target the base table only, indexes are read-only. */
export function tableReadWrite(sid: string, table: TableRef): PolicyStatement[] {
  return [
    { sid: `${sid}Read`, actions: TABLE_READ_ACTIONS, resources: [table.arn, `${table.arn}/index/*`] },
    { sid: `${sid}Write`, actions: TABLE_WRITE_ACTIONS, resources: [table.arn] },
  ];
}

/** Use of a customer-managed key, but only through the named service in this region. */
export function keyUseViaService(sid: string, keyArn: string, service: string, region: string): PolicyStatement[] {
  return [
    {
      sid,
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [keyArn],
      conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${region}.amazonaws.com`] }],
    },
  ];
}

/** Writing log events to one log group. */
export function logWrite(sid: string, logGroupArn: string): PolicyStatement[] {
  return [{ sid, actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroupArn, `${logGroupArn}:log-stream:*`] }];
}

/** Putting events on one EventBridge bus. */
export function putEvents(sid: string, busArn: string): PolicyStatement[] {
  return [{ sid, actions: ['events:PutEvents'], resources: [busArn] }];
}

/** Draining one queue: what a Lambda event source mapping needs from the function's role. */
export function queueConsume(sid: string, queueArn: string): PolicyStatement[] {
  return [
    {
      sid,
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
      resources: [queueArn],
    },
  ];
}

/** Sending messages to one queue. */
export function queueSend(sid: string, queueArn: string): PolicyStatement[] {
  return [{ sid, actions: ['sqs:SendMessage'], resources: [queueArn] }];
}

/** Decrypting with a customer-managed key, only through the named service (reading an encrypted queue). */
export function keyDecryptViaService(sid: string, keyArn: string, service: string, region: string): PolicyStatement[] {
  return [
    {
      sid,
      actions: ['kms:Decrypt'],
      resources: [keyArn],
      conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${region}.amazonaws.com`] }],
    },
  ];
}

/** Encrypting with a customer-managed key, only through the named service: SQS and SNS need a data key and Decrypt to reuse it. */
export function keyEncryptViaService(sid: string, keyArn: string, service: string, region: string): PolicyStatement[] {
  return [
    {
      sid,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [keyArn],
      conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${region}.amazonaws.com`] }],
    },
  ];
}

/** Running one field of an AppSync GraphQL API with IAM auth, e.g. `Mutation.publishOrderUpdate`. */
export function graphqlField(sid: string, api: { region: string; accountId: string; apiId: string }, typeName: string, fieldName: string): PolicyStatement[] {
  return [
    {
      sid,
      actions: ['appsync:GraphQL'],
      resources: [`arn:aws:appsync:${api.region}:${api.accountId}:apis/${api.apiId}/types/${typeName}/fields/${fieldName}`],
    },
  ];
}
