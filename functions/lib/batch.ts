import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describeError } from './errors';
import { beginWork, correlationIdOfRecord, logger } from './logger';

/** What became of one record, counted in the batch summary line (`sent`, `duplicate`, `skipped`...). */
export type RecordOutcome = string;

/** Handles one SQS record; throws to have it reported failed (and redelivered, then dead-lettered). */
export type RecordHandler = (record: SQSRecord, context: Context) => Promise<RecordOutcome | void>;

/** A Lambda handler for an SQS event source mapping with `ReportBatchItemFailures`. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Wraps a record handler into an SQS batch handler (Powertools BatchProcessor) that reports partial failures:
 * every record that throws, and only those, is listed in `batchItemFailures`, so SQS redelivers just them and
 * moves them to the DLQ after maxReceiveCount. Records run one at a time, so each log line carries its own
 * record's correlation id; batches are small (10 by default) and each record is a few calls. A batch in which
 * every record failed still answers with the list rather than throwing, so SQS sees the same contract either way.
 * One summary line per batch counts the outcomes.
 */
export function sqsBatchHandler(handleRecord: RecordHandler): SqsBatchHandler {
  return async (event, context) => {
    const outcomes: Record<string, number> = {};
    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(
      event,
      async (record: SQSRecord) => {
        beginWork(correlationIdOfRecord(record), { messageId: record.messageId, receiveCount: Number(record.attributes.ApproximateReceiveCount) }, context);
        try {
          const outcome = (await handleRecord(record, context)) || 'processed';
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          return outcome;
        } catch (error) {
          outcomes.failed = (outcomes.failed ?? 0) + 1;
          logger.error('Record failed', { error: describeError(error) });
          throw error;
        }
      },
      processor,
      { context, processInParallel: false, throwOnFullBatchFailure: false },
    );
    beginWork(context.awsRequestId, {}, context);
    logger.info('Batch processed', { records: event.Records.length, outcomes, failed: response.batchItemFailures.length });
    return response as SQSBatchResponse;
  };
}
