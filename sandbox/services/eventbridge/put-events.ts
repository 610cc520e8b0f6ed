// PutEvents: the request and entry checks EventBridge makes, and the event it builds from an entry.
import { randomUUID } from 'node:crypto';
import type { PutEventsEntry } from '../capabilities';
import type { Place } from './arns';

/** An event as EventBridge delivers it to targets, in AWS's key order. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
  /** Set on events a replay re-sends. */
  readonly 'replay-name'?: string;
}

/** An error of the whole PutEvents call, named like the AWS exception. */
export class PutEventsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    /** The HTTP status the endpoint answers with. */
    readonly status = 400,
  ) {
    super(message);
  }
}

/** "Amazon EventBridge quotas": at most 10 entries; the entries of one request total at most 256 KB. */
export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

/** An entry refused on its own: PutEvents answers the other entries normally. */
export interface EntryError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/**
 * An entry's size as "Calculating PutEvents event entry size" counts it: 14 bytes for Time if given, the
 * UTF-8 bytes of Source, DetailType and Detail, and of each resource.
 */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (value: string | undefined) => (value === undefined ? 0 : Buffer.byteLength(value, 'utf8'));
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0)
  );
}

/** Refuses a request EventBridge would refuse as a whole (ValidationException). */
export function checkRequest(entries: readonly PutEventsEntry[]): void {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new PutEventsError('ValidationException', "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  if (entries.length > MAX_ENTRIES) {
    throw new PutEventsError(
      'ValidationException',
      `1 validation error detected: Value '[${entries.length} entries]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > MAX_REQUEST_BYTES) throw new PutEventsError('ValidationException', 'Total size of the entries in the request is over the limit.');
}

function invalid(parameter: string, reason: string): EntryError {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

/** The entry's time as an ISO 8601 instant, or undefined when it is not a time. */
function entryTime(time: PutEventsEntry['Time'], now: number): string | undefined {
  const instant = time === undefined ? now : time instanceof Date ? time.getTime() : typeof time === 'number' ? time * 1000 : Date.parse(time);
  if (!Number.isFinite(instant)) return undefined;
  // EventBridge writes times to the second: 2024-05-01T12:00:00Z.
  return new Date(Math.floor(instant / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Checks one entry and builds its event, or says why EventBridge refuses it. Required fields and a JSON
 * object Detail are checked as AWS does; whether the bus exists is the caller's to check.
 */
export function buildEvent(entry: PutEventsEntry, place: Place, now: number): BusEvent | EntryError {
  if (entry.Source === undefined || entry.Source === '') return invalid('Source', 'Source is a required argument.');
  if (entry.DetailType === undefined || entry.DetailType === '') return invalid('DetailType', 'DetailType is a required argument.');
  if (entry.Detail === undefined || entry.Detail === '') return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  if (entrySize(entry) > MAX_REQUEST_BYTES) return invalid('Detail', 'Event entry is over the size limit of 256 KB.');
  const time = entryTime(entry.Time, now);
  if (time === undefined) return invalid('Time', 'Time is not a valid timestamp.');
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || resources.some((resource) => typeof resource !== 'string')) return invalid('Resources', 'Resources must be a list of strings.');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: place.accountId,
    time,
    region: place.region,
    resources: [...resources],
    detail: detail as Record<string, unknown>,
  };
}

export function isEntryError(value: BusEvent | EntryError): value is EntryError {
  return 'ErrorCode' in value;
}
