import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from './env';

/**
 * AWS SDK v3 clients, each created once per execution environment (on first use, at module load of the handler
 * that needs it) and reused by every invocation. The region is Lambda's `AWS_REGION`. Endpoints are the SDK's
 * own resolution: since v3.49x it reads `AWS_ENDPOINT_URL_<SERVICE>` (`_DYNAMODB`, `_EVENTBRIDGE`, `_S3`,
 * `_SESV2`) and `AWS_ENDPOINT_URL`, which is how the sandbox points functions at its local services.
 */
const cache = new Map<string, unknown>();

function once<T>(key: string, create: () => T): T {
  if (!cache.has(key)) cache.set(key, create());
  return cache.get(key) as T;
}

function region(): string {
  return requireEnv(['AWS_REGION']).AWS_REGION;
}

/** The low-level DynamoDB client (Powertools idempotency wants this one). */
export function dynamoDbClient(): DynamoDBClient {
  return once('dynamodb', () => new DynamoDBClient({ region: region() }));
}

/** The DynamoDB document client: plain JavaScript values in and out; `undefined` attributes are dropped. */
export function documentClient(): DynamoDBDocumentClient {
  return once('document', () => DynamoDBDocumentClient.from(dynamoDbClient(), { marshallOptions: { removeUndefinedValues: true } }));
}

export function eventBridgeClient(): EventBridgeClient {
  return once('eventbridge', () => new EventBridgeClient({ region: region() }));
}

/**
 * S3 with path-style addressing when a custom endpoint is set: a local endpoint (`http://127.0.0.1:4566`) has no
 * DNS for `<bucket>.<host>`. Against AWS itself the default virtual-hosted style stays.
 */
export function s3Client(): S3Client {
  const customEndpoint = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return once('s3', () => new S3Client({ region: region(), forcePathStyle: customEndpoint }));
}

export function sesClient(): SESv2Client {
  return once('sesv2', () => new SESv2Client({ region: region() }));
}
