// The event backbone from outside, through the clients its producers and operators use: a fulfilment service
// putting events on the bus with the EventBridge SDK and the sandbox's IAM key pair, a partner calling the intake
// API with fetch and its API key, and the DynamoDB, SQS and S3 SDK clients pointed at the sandbox. What no client
// can see (what the bus received, what a queue holds, captured email) comes from the sandbox's inspectors.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { loadEnvironment } from '../../../../config';
import { SOURCES } from '../../../../events/sources';
import type { DetailType, EventDataByType, EventDetail, OrderStatus } from '../../../../events/types';
import { validateEventDetail } from '../../../../events/validate';
import { auditKey } from '../../../../functions/lib/keys';
import { DYNAMODB_ENDPOINT } from '../../../../sandbox/services/dynamodb';
import { EVENTBRIDGE_INSPECT, type BusEvent, type EventBridgeInspector } from '../../../../sandbox/services/eventbridge';
import { MESSAGING_INSPECT, type MessagingInspector } from '../../../../sandbox/services/messaging';
import { SES_OUTBOX, type SesOutbox } from '../../../../sandbox/services/ses';
import type { SandboxEndpoints } from '../../../../sandbox/start';
import { Naming } from '../../../../stacks/lib/naming';
import type { HttpAnswer } from './clients';
import type { Order } from './operations';
import type { SandboxUnderTest } from './sandbox';

const naming = new Naming(loadEnvironment('local'));

/** Names of the local platform's resources, from the naming helper the stacks use. */
export const NAMES = {
  bus: naming.resource('bus'),
  table: naming.resource('orders'),
  partnerApi: naming.resource('partner-api'),
  partnerQueue: naming.resource('partner-orders'),
  mediaBucket: naming.resource('media'),
  statusRule: naming.resource('status-to-subscribers'),
  notificationsRule: naming.resource('customer-notifications'),
  loyaltyFunction: naming.resource('award-loyalty-points'),
  ingestFunction: naming.resource('ingest-partner-order'),
} as const;

/** A domain event as the bus received it, with the envelope typed. */
export type ReceivedEvent<T extends DetailType = DetailType> = BusEvent & { readonly detail: EventDetail<EventDataByType[T]> };

/**
 * Everything the backbone tests talk to in one sandbox: the SDK clients (created once, destroyed in `destroy`)
 * and the services' inspectors.
 */
export class Backbone {
  /** The fulfilment service: a backend publishing status events on the bus. */
  readonly fulfilment: FulfilmentService;
  /** A partner calling the intake API. */
  readonly partner: PartnerApi;
  /** The single table, through the DynamoDB document client. */
  readonly table: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  /** What EventBridge received and delivered; injected PutEvents failures; schedules. */
  readonly bus: EventBridgeInspector;
  /** Queue depths, receiving from DLQs. */
  readonly queues: MessagingInspector;
  /** Email the SES service captured. */
  readonly mail: SesOutbox;

  constructor(private readonly sandbox: SandboxUnderTest) {
    const { endpoints } = sandbox;
    const client = { region: endpoints.region, credentials: endpoints.iam };
    this.fulfilment = new FulfilmentService(endpoints);
    this.partner = new PartnerApi(endpoints);
    this.table = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: sandbox.capability<string>(DYNAMODB_ENDPOINT) }));
    this.bus = sandbox.capability<EventBridgeInspector>(EVENTBRIDGE_INSPECT);
    this.queues = sandbox.capability<MessagingInspector>(MESSAGING_INSPECT);
    this.mail = sandbox.capability<SesOutbox>(SES_OUTBOX);
    this.sqs = new SQSClient({ ...client, endpoint: this.queues.endpoint });
    this.s3 = new S3Client({ ...client, endpoint: this.queues.endpoint, forcePathStyle: true });
  }

  /** One item of the single table by its key, or undefined. */
  async item(PK: string, SK: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.table.send(new GetCommand({ TableName: NAMES.table, Key: { PK, SK }, ConsistentRead: true }));
    return Item;
  }

  /**
   * Makes an unpublished outbox item look older to the outbox sweep: its GSI4 sort key (`<occurredAt>#<eventId>`),
   * which is all the sweep selects on, gets `at` as its time. The event itself is left as the mutation wrote it.
   */
  async backdateOutboxItem(orderId: string, eventId: string, at: string): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: NAMES.table,
        Key: { PK: `ORDER#${orderId}`, SK: `EVENT#${eventId}` },
        UpdateExpression: 'SET GSI4SK = :aged',
        ConditionExpression: 'GSI4PK = :outbox',
        ExpressionAttributeValues: { ':aged': `${at}#${eventId}`, ':outbox': 'OUTBOX' },
      }),
    );
  }

  /** Every audit record of one event (its day's partition, filtered on the event id). */
  async auditRecords(eventId: string, occurredAt: string): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await this.table.send(
      new QueryCommand({
        TableName: NAMES.table,
        KeyConditionExpression: 'PK = :day',
        FilterExpression: 'eventId = :eventId',
        ExpressionAttributeValues: { ':day': auditKey(occurredAt, eventId).PK, ':eventId': eventId },
        ConsistentRead: true,
      }),
    );
    return Items;
  }

  /** Every event the orders bus received so far of one detail-type, for one order. */
  eventsOf<T extends DetailType>(detailType: T, orderId: string): ReceivedEvent<T>[] {
    return this.bus.events(NAMES.bus).filter((event): event is ReceivedEvent<T> => event['detail-type'] === detailType && (event.detail.data as { orderId?: string } | undefined)?.orderId === orderId);
  }

  /** The first event of one detail-type for one order the bus receives (or already received). */
  waitForEvent<T extends DetailType>(detailType: T, orderId: string, timeoutMs = 15_000): Promise<ReceivedEvent<T>> {
    return eventually(`${detailType} for order ${orderId} on ${NAMES.bus}`, () => this.eventsOf(detailType, orderId)[0], timeoutMs);
  }

  /** A queue's URL by name, asked of SQS. */
  async queueUrl(name: string): Promise<string> {
    const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!QueueUrl) throw new Error(`SQS knows no queue ${name}`);
    return QueueUrl;
  }

  /**
   * Waits until every queue of the sandbox holds what `expected` says (by queue name; 0 for every other queue) and
   * resolves with those that did not get there in `timeoutMs`, with what they hold. Working queues drain as their
   * consumers finish; a dead-letter queue or a failure store (a rule's DLQ, a function's on-failure destination)
   * never drains by itself, so anything that ended in one is reported, whatever the queue is called.
   */
  async queuesNotHolding(expected: Readonly<Record<string, number>> = {}, timeoutMs = 10_000): Promise<Record<string, number>> {
    const { QueueUrls = [] } = await this.sqs.send(new ListQueuesCommand({}));
    const byName = new Map(QueueUrls.map((url) => [url.split('/').at(-1) as string, url]));
    const unknown = Object.keys(expected).filter((name) => !byName.has(name));
    if (unknown.length > 0) throw new Error(`No queue named ${unknown.join(', ')} among ${[...byName.keys()].join(', ')}`);
    const outcomes = await Promise.all(
      [...byName].map(async ([name, url]) => {
        try {
          await this.queues.waitForDepth(url, expected[name] ?? 0, timeoutMs);
          return [];
        } catch {
          return [[name, this.queues.depth(url)] as const];
        }
      }),
    );
    return Object.fromEntries(outcomes.flat());
  }

  /** The structured log line a function wrote (`[lambda:<name>] {...}`) whose fields `match` accepts, waiting for it. */
  async functionLog(functionName: string, match: (record: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const prefix = `[lambda:${functionName}] `;
    const line = await this.sandbox.waitForLog((text) => {
      const record = structuredRecord(text, prefix);
      return record !== undefined && match(record);
    }, timeoutMs);
    return structuredRecord(line, prefix) as Record<string, unknown>;
  }

  destroy(): void {
    this.fulfilment.destroy();
    this.table.destroy();
    this.sqs.destroy();
    this.s3.destroy();
  }
}

function structuredRecord(line: string, prefix: string): Record<string, unknown> | undefined {
  const start = line.indexOf(prefix);
  if (start < 0 || line[start + prefix.length] !== '{') return undefined;
  try {
    return JSON.parse(line.slice(start + prefix.length)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * A fulfilment service as a backend team writes one: the EventBridge SDK client with the sandbox's IAM key pair,
 * pointed at its EventBridge endpoint, putting `orders.fulfilment` events that honour their contracts.
 */
export class FulfilmentService {
  static readonly PRODUCER = 'fulfilment-service';
  private readonly client: EventBridgeClient;

  constructor(endpoints: SandboxEndpoints) {
    this.client = new EventBridgeClient({ endpoint: endpoints.eventBridgeEndpoint, region: endpoints.region, credentials: endpoints.iam });
  }

  /** OrderStatusChanged with its deterministic id (`OrderStatusChanged:<order>:<status>`). */
  statusChanged(order: Order, status: OrderStatus, previousStatus: OrderStatus, reason: string | null): EventDetail<EventDataByType['OrderStatusChanged']> {
    const now = new Date().toISOString();
    return {
      eventId: `OrderStatusChanged:${order.id}:${status}`,
      eventVersion: 1,
      correlationId: order.id,
      occurredAt: now,
      producer: FulfilmentService.PRODUCER,
      data: { orderId: order.id, owner: order.owner, status, previousStatus, reason, changedAt: now },
    };
  }

  /** OrderCompleted with its deterministic id (`OrderCompleted:<order>`). */
  completed(order: Order): EventDetail<EventDataByType['OrderCompleted']> {
    const now = new Date().toISOString();
    return {
      eventId: `OrderCompleted:${order.id}`,
      eventVersion: 1,
      correlationId: order.id,
      occurredAt: now,
      producer: FulfilmentService.PRODUCER,
      data: { orderId: order.id, owner: order.owner, total: order.total, currency: order.currency, completedAt: now },
    };
  }

  /** Checks the detail against its schema, then PutEvents it on the orders bus; resolves with EventBridge's event id. */
  async publish<T extends DetailType>(detailType: T, detail: EventDetail<EventDataByType[T]>): Promise<string> {
    validateEventDetail(detailType, detail);
    const answer = await this.client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: NAMES.bus, Source: SOURCES.fulfilment, DetailType: detailType, Detail: JSON.stringify(detail) }] }),
    );
    const [entry] = answer.Entries ?? [];
    if (answer.FailedEntryCount || !entry?.EventId) throw new Error(`PutEvents refused ${detailType}: ${JSON.stringify(answer.Entries)}`);
    return entry.EventId;
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** A partner's order as the intake API takes it. */
export interface PartnerOrderBody {
  readonly partnerId: string;
  readonly partnerReference: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

/** A partner's system: plain fetch to `POST /v1/partner-orders` with its `x-api-key`. */
export class PartnerApi {
  readonly url: string;
  readonly apiKey: string;

  constructor(endpoints: SandboxEndpoints) {
    const api = endpoints.restApis.find((candidate) => candidate.name === NAMES.partnerApi);
    const route = api?.urls.find((url) => url.startsWith('POST ') && url.endsWith('/v1/partner-orders'));
    const key = api?.apiKeys[0];
    if (!route || !key) throw new Error(`The sandbox serves no partner API (${JSON.stringify(endpoints.restApis)})`);
    this.url = route.slice('POST '.length);
    this.apiKey = key.value;
  }

  /** POSTs a body (an object is sent as JSON, a string as is); `apiKey: null` sends no key. */
  async post(body: PartnerOrderBody | Record<string, unknown> | string, options: { apiKey?: string | null } = {}): Promise<HttpAnswer> {
    const apiKey = options.apiKey === undefined ? this.apiKey : options.apiKey;
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey === null ? {} : { 'x-api-key': apiKey }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }
}

/**
 * Resolves with the first value `probe` gives that is neither undefined nor false, probing every 25 ms: for state
 * only a read can show (an item written by a function, an event in the bus's in-memory log). Rejects after
 * `timeoutMs` with `what`.
 */
export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
