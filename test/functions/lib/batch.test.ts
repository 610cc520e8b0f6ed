import '../support/environment';
import { sqsBatchHandler } from '../../../functions/lib/batch';
import { PermanentError } from '../../../functions/lib/errors';
import { logger } from '../../../functions/lib/logger';
import { validDomainEvent } from '../factories/eventbridge';
import { lambdaContext } from '../factories/lambda';
import { sqsEvent, sqsRecord } from '../factories/sqs';
import { captureLogs } from '../support/logs';

describe('sqsBatchHandler', () => {
  it('reports only the records that threw, and answers a batch that wholly failed the same way', async () => {
    const handler = sqsBatchHandler(async (record) => {
      if (record.body.includes('poison')) throw new PermanentError('poison');
      return 'ok';
    });
    const good = sqsRecord({ ok: true }, { messageId: 'good' });
    const poison = sqsRecord({ poison: true }, { messageId: 'poison' });
    await expect(handler(sqsEvent(good, poison, sqsRecord({ ok: 2 }, { messageId: 'good-2' })), lambdaContext())).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'poison' }],
    });
    await expect(handler(sqsEvent(poison), lambdaContext())).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
  });

  it('logs JSON lines with each record’s correlation id, the failure’s type, and a summary of outcomes', async () => {
    const event = validDomainEvent('OrderCreated', { detail: { correlationId: 'order-7' } });
    const handler = sqsBatchHandler(async (record) => {
      logger.info('working');
      if (record.messageId === 'bad') throw new PermanentError('cannot');
      return 'sent';
    });
    const logs = await captureLogs(() =>
      handler(sqsEvent(sqsRecord(event, { messageId: 'good' }), sqsRecord('not json', { messageId: 'bad', attributes: { correlationId: 'req-9' } })), lambdaContext()),
    );
    expect(logs.filter((line) => line.message === 'working').map((line) => [line.correlation_id, line.messageId])).toEqual([
      ['order-7', 'good'],
      ['req-9', 'bad'],
    ]);
    expect(logs.find((line) => line.message === 'Record failed')).toMatchObject({
      level: 'ERROR',
      service: 'functions-test',
      correlation_id: 'req-9',
      error: { name: 'PermanentError', message: 'cannot', permanent: true },
    });
    expect(logs.find((line) => line.message === 'Batch processed')).toMatchObject({ records: 2, failed: 1, outcomes: { sent: 1, failed: 1 } });
  });
});
