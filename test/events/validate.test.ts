import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOG } from '../../events/catalog';
import { EventValidationError, validateEventDetail } from '../../events/validate';
import { EXAMPLES } from './examples';

describe('event contracts', () => {
  it('has a versioned JSON Schema file for every event in the catalog, and nothing else', () => {
    const files = readdirSync(join(__dirname, '..', '..', 'events', 'schemas')).filter((file) => file !== 'envelope.schema.json');
    expect(files.sort()).toEqual(Object.keys(EVENT_CATALOG).map((type) => `${type}.v1.schema.json`).sort());
  });

  it.each(Object.keys(EVENT_CATALOG))('accepts a valid %s', (detailType) => {
    expect(validateEventDetail(detailType, EXAMPLES[detailType as keyof typeof EXAMPLES])).toBe(EXAMPLES[detailType as keyof typeof EXAMPLES]);
  });

  it('names every broken field and rule at once', () => {
    const broken = { ...EXAMPLES.OrderCreated, occurredAt: 'yesterday', data: { ...EXAMPLES.OrderCreated.data, total: -1, currency: 'euro', extra: true } };
    delete (broken as Record<string, unknown>).eventId;
    expect(() => validateEventDetail('OrderCreated', broken)).toThrow(EventValidationError);
    try {
      validateEventDetail('OrderCreated', broken);
    } catch (error) {
      expect((error as EventValidationError).problems).toEqual([
        '/eventId is required',
        '/occurredAt must match format "date-time"',
        '/data must not have property extra',
        '/data/total must be >= 0',
        '/data/currency must match pattern "^[A-Z]{3}$"',
      ]);
      expect((error as Error).message).toMatch(/^OrderCreated event is invalid: \/eventId is required; /);
    }
  });

  it('rejects an event the catalog does not know', () => {
    expect(() => validateEventDetail('OrderTeleported', {})).toThrow('OrderTeleported event is invalid: detail-type OrderTeleported is not in the event catalog');
  });

  it('gives every event a source and a producer', () => {
    for (const contract of Object.values(EVENT_CATALOG)) {
      expect(contract.source).toMatch(/^[a-z]+\.[a-z]+$/);
      expect(contract.producer.length).toBeGreaterThan(3);
      expect(contract.description.length).toBeGreaterThan(10);
    }
  });
});
