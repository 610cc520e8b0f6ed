import '../support/environment';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventValidationError } from '../../../events/validate';
import { ValidationError } from '../../../functions/lib/errors';
import { newEvent, parseDomainEvent, parseQueuedDomainEvent, PublishError, publishEvents, putEvents } from '../../../functions/lib/events';
import { domainEvent, exampleDetail, validDomainEvent } from '../factories/eventbridge';
import { snsMessage } from '../factories/sns';
import { sqsRecord } from '../factories/sqs';

describe('parseDomainEvent', () => {
  it('accepts an event that honours its contract', () => {
    const event = validDomainEvent('OrderCompleted');
    expect(parseDomainEvent(event, ['OrderCompleted'])).toBe(event);
  });

  it('rejects a detail that breaks the schema with every problem, naming field and rule', () => {
    const event = domainEvent('OrderCompleted', { data: { total: 12.5, currency: 'euro' } });
    expect(() => parseDomainEvent(event, ['OrderCompleted'])).toThrow(EventValidationError);
    expect(() => parseDomainEvent(event, ['OrderCompleted'])).toThrow(
      'OrderCompleted event is invalid: /data/total must be integer; /data/currency must match pattern "^[A-Z]{3}$"',
    );
  });

  it('rejects a missing required field and an unknown one', () => {
    const event = domainEvent('OrderCompleted');
    const { orderId: _omitted, ...data } = event.detail.data;
    const broken = { ...event, detail: { ...event.detail, data: { ...data, coupon: 'X' } } };
    expect(() => parseDomainEvent(broken, ['OrderCompleted'])).toThrow(
      'OrderCompleted event is invalid: /data/orderId is required; /data must not have property coupon',
    );
  });

  it('rejects a detail-type the consumer does not handle, and a source the catalog does not name', () => {
    expect(() => parseDomainEvent(validDomainEvent('OrderCreated'), ['OrderCompleted'])).toThrow(
      new ValidationError('EventBridge event', [{ field: 'detail-type', rule: 'must be one of OrderCompleted (got OrderCreated)' }]),
    );
    expect(() => parseDomainEvent({ ...validDomainEvent('OrderCompleted'), source: 'orders.api' }, ['OrderCompleted'])).toThrow(
      'OrderCompleted event is invalid: source must be orders.fulfilment (got orders.api)',
    );
  });
});

describe('parseQueuedDomainEvent', () => {
  it('reads the event from a raw SNS delivery body and from an SNS envelope', () => {
    const event = validDomainEvent('OrderCancelled');
    expect(parseQueuedDomainEvent(sqsRecord(event), ['OrderCancelled']).detail.eventId).toBe(event.detail.eventId);
    expect(parseQueuedDomainEvent(sqsRecord(snsMessage(event)), ['OrderCancelled']).detail.eventId).toBe(event.detail.eventId);
  });

  it('rejects a body that is not JSON, naming the message', () => {
    const record = sqsRecord('{"detail-type": ', { messageId: 'm-1' });
    expect(() => parseQueuedDomainEvent(record, ['OrderCancelled'])).toThrow('SQS message m-1 is invalid: body must be JSON');
  });
});

describe('putEvents / publishEvents', () => {
  const eventBridge = mockClient(EventBridgeClient);
  const client = new EventBridgeClient({});
  const completed = newEvent('OrderCompleted', exampleDetail('OrderCompleted'));
  beforeEach(() => eventBridge.reset());

  it('validates every event before sending any', async () => {
    const broken = newEvent('OrderCompleted', { ...exampleDetail('OrderCompleted'), eventVersion: 2 as 1 });
    await expect(putEvents(client, 'bus', [completed, broken])).rejects.toThrow('OrderCompleted event is invalid: /eventVersion must be equal to constant');
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('sends entries in calls of ten, each with the catalog source, its detail-type and the envelope as detail', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, index) => ({ EventId: `e-${index}` })) }));
    const events = Array.from({ length: 12 }, (_, index) => newEvent('OrderCompleted', exampleDetail('OrderCompleted', { detail: { eventId: `OrderCompleted:${index}` } })));
    const outcome = await putEvents(client, 'orders-test-bus', events);
    expect(outcome.published).toHaveLength(12);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 2]);
    expect(calls[0].args[0].input.Entries?.[0]).toEqual({
      EventBusName: 'orders-test-bus',
      Source: 'orders.fulfilment',
      DetailType: 'OrderCompleted',
      Detail: JSON.stringify(events[0].detail),
    });
  });

  it('throws naming the event ids and error codes PutEvents refused', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] });
    const publishing = publishEvents(client, 'bus', [completed]);
    await expect(publishing).rejects.toThrow(PublishError);
    await expect(publishEvents(client, 'bus', [completed])).rejects.toThrow('PutEvents failed for OrderCompleted:01JDQ6Z8K3M4N5P6Q7R8S9T0VW (ThrottlingException: Rate exceeded)');
  });
});
