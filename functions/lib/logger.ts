import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSRecord } from 'aws-lambda';

/**
 * The function's structured JSON logger. The service name comes from `POWERTOOLS_SERVICE_NAME` (NodeFunction
 * sets it to the function name) and the level from Lambda's log-level control; every line carries
 * `correlation_id` once {@link beginWork} has set it.
 */
export const logger = new Logger();

/**
 * Starts one unit of work (an invocation, or one record of a batch): forgets the previous record's keys, then
 * sets the correlation id and any extra keys. Batch records are processed one at a time, so the shared logger
 * never mixes two records' ids.
 */
export function beginWork(correlationId: string, keys: Record<string, string | number> = {}, context?: Context): void {
  logger.resetKeys();
  if (context) logger.addContext(context);
  logger.setCorrelationId(correlationId);
  if (Object.keys(keys).length > 0) logger.appendKeys(keys);
}

/** The `detail.correlationId` of an EventBridge event, else `fallback`; never throws on a malformed event. */
export function correlationIdOfEvent(event: unknown, fallback: string): string {
  const correlationId = (event as { detail?: { correlationId?: unknown } } | null)?.detail?.correlationId;
  return typeof correlationId === 'string' && correlationId ? correlationId : fallback;
}

/**
 * The correlation id of a queued message: its `correlationId` message attribute (SNS raw delivery copies SNS
 * attributes onto the SQS message), else the `detail.correlationId` of the EventBridge event in the body, else
 * the message id. Best effort: a body that is not JSON still gets logged under its message id.
 */
export function correlationIdOfRecord(record: SQSRecord): string {
  const attribute = record.messageAttributes?.correlationId?.stringValue;
  if (attribute) return attribute;
  try {
    return correlationIdOfEvent(JSON.parse(record.body), record.messageId);
  } catch {
    // Not JSON: the record handler reports that; the message id still ties the log lines together.
    return record.messageId;
  }
}
