import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { SQSRecord } from 'aws-lambda';
import { EVENT_CATALOG } from '../../events/catalog';
import type { DetailType, DomainEvent, EventDataByType, EventDetail } from '../../events/types';
import { validateEventDetail } from '../../events/validate';
import { TransientError, ValidationError } from './errors';
import type { OutgoingEvent } from './outbox';

/** A platform event of one of the detail-types `T`, discriminated by `detail-type`. */
export type AnyDomainEvent<T extends DetailType = DetailType> = { [K in T]: DomainEvent<K> }[T];

/** PutEvents accepts at most this many entries per call. */
const PUT_EVENTS_BATCH = 10;

/**
 * Checks an EventBridge event before any work starts: a detail-type this consumer handles, the source the
 * catalog names for it, and a `detail` that honours its JSON Schema. Throws {@link ValidationError} (wrong
 * type or source) or `EventValidationError` (the schema's problems, each naming its field and rule), so an
 * invalid event is rejected whole and never half-processed.
 */
export function parseDomainEvent<T extends DetailType>(event: unknown, allowedTypes: readonly T[]): AnyDomainEvent<T> {
  if (typeof event !== 'object' || event === null) throw new ValidationError('EventBridge event', [{ field: 'event', rule: 'must be an object' }]);
  const candidate = event as { 'detail-type'?: unknown; source?: unknown; detail?: unknown };
  const detailType = candidate['detail-type'];
  if (typeof detailType !== 'string' || !(allowedTypes as readonly string[]).includes(detailType)) {
    throw new ValidationError('EventBridge event', [{ field: 'detail-type', rule: `must be one of ${allowedTypes.join(', ')} (got ${String(detailType)})` }]);
  }
  const expectedSource = EVENT_CATALOG[detailType as T].source;
  if (candidate.source !== expectedSource) {
    throw new ValidationError(`${detailType} event`, [{ field: 'source', rule: `must be ${expectedSource} (got ${String(candidate.source)})` }]);
  }
  validateEventDetail(detailType, candidate.detail);
  return event as AnyDomainEvent<T>;
}

/**
 * The EventBridge event in a queued message: the body itself with SNS raw message delivery (how the fan-out
 * subscribes its queues), or the `Message` of an SNS envelope if a subscription lacks raw delivery.
 */
export function parseQueuedDomainEvent<T extends DetailType>(record: SQSRecord, allowedTypes: readonly T[]): AnyDomainEvent<T> {
  return parseDomainEvent(queuedMessage(record), allowedTypes);
}

/** The JSON payload of a queued message, unwrapped from an SNS envelope when there is one. */
export function queuedMessage(record: SQSRecord): unknown {
  const body = parseJson(record.body, `SQS message ${record.messageId}`, 'body');
  if (isSnsEnvelope(body)) return parseJson(body.Message, `SQS message ${record.messageId}`, 'body.Message');
  return body;
}

function isSnsEnvelope(value: unknown): value is { Type: string; Message: string } {
  const envelope = value as { Type?: unknown; Message?: unknown } | null;
  return typeof envelope === 'object' && envelope !== null && envelope.Type === 'Notification' && typeof envelope.Message === 'string';
}

/** Parses JSON or throws a {@link ValidationError} naming the field. */
export function parseJson(text: string, subject: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(subject, [{ field, rule: 'must be JSON' }]);
  }
}

/** A new event of the catalog: the source is the one the catalog names for its detail-type. */
export function newEvent<T extends DetailType>(detailType: T, detail: EventDetail<EventDataByType[T]>): OutgoingEvent<T> {
  return { source: EVENT_CATALOG[detailType].source, detailType, detail };
}

/** Checks an outgoing event against the catalog (detail-type, source) and its schema; throws like {@link parseDomainEvent}. */
export function validateOutgoingEvent(event: OutgoingEvent): void {
  const contract = (EVENT_CATALOG as Record<string, (typeof EVENT_CATALOG)[DetailType] | undefined>)[event.detailType];
  if (!contract) throw new ValidationError('Outgoing event', [{ field: 'detailType', rule: `must be in the event catalog (got ${event.detailType})` }]);
  if (event.source !== contract.source) {
    throw new ValidationError(`${event.detailType} event`, [{ field: 'source', rule: `must be ${contract.source} (got ${event.source})` }]);
  }
  validateEventDetail(event.detailType, event.detail);
}

/** An entry PutEvents refused. */
export interface FailedEntry {
  readonly event: OutgoingEvent;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** What one {@link putEvents} call achieved, entry by entry. */
export interface PutEventsOutcome {
  readonly published: readonly OutgoingEvent[];
  readonly failed: readonly FailedEntry[];
}

/**
 * Validates every event first (nothing is sent if one is invalid), then sends them in PutEvents calls of ten and
 * reports each entry's fate. Entries that fail stay the caller's to keep (the outbox keeps them).
 */
export async function putEvents(client: Pick<EventBridgeClient, 'send'>, busName: string, events: readonly OutgoingEvent[]): Promise<PutEventsOutcome> {
  events.forEach(validateOutgoingEvent);
  const published: OutgoingEvent[] = [];
  const failed: FailedEntry[] = [];
  for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
    const chunk = events.slice(start, start + PUT_EVENTS_BATCH);
    const response = await client.send(new PutEventsCommand({ Entries: chunk.map((event) => toEntry(busName, event)) }));
    chunk.forEach((event, index) => {
      const entry = response.Entries?.[index];
      if (entry?.EventId && !entry.ErrorCode) published.push(event);
      else failed.push({ event, errorCode: entry?.ErrorCode ?? 'Unknown', errorMessage: entry?.ErrorMessage ?? 'PutEvents returned no result for this entry' });
    });
  }
  return { published, failed };
}

/** An event could not be published; retrying may succeed (EventBridge throttling or an internal failure). */
export class PublishError extends TransientError {
  override readonly name = 'PublishError';
  constructor(readonly failed: readonly FailedEntry[]) {
    super(`PutEvents failed for ${failed.map((entry) => `${entry.event.detail.eventId} (${entry.errorCode}: ${entry.errorMessage})`).join(', ')}`);
  }
}

/** {@link putEvents}, throwing {@link PublishError} if any entry failed (FailedEntryCount > 0). */
export async function publishEvents(client: Pick<EventBridgeClient, 'send'>, busName: string, events: readonly OutgoingEvent[]): Promise<readonly OutgoingEvent[]> {
  const outcome = await putEvents(client, busName, events);
  if (outcome.failed.length > 0) throw new PublishError(outcome.failed);
  return outcome.published;
}

function toEntry(busName: string, event: OutgoingEvent): PutEventsRequestEntry {
  return { EventBusName: busName, Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(event.detail) };
}
