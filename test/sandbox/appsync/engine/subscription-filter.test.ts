import { toSubscriptionFilter } from '../../../../runtime/appsync/transform/subscription-filter';
import { conditionHolds, filterProblems, matchesFilter } from '../../../../sandbox/services/appsync/engine';

// The ticket example of "Defining enhanced subscriptions filters in AWS AppSync".
const ticket = (overrides: Record<string, unknown> = {}) => ({
  id: 'T1',
  createdAt: '2026-11-28T10:00:00Z',
  content: 'Printer on fire',
  severity: 8,
  priority: 'high',
  category: 'security',
  group: 'admin',
  status: 'open',
  ...overrides,
});

describe('enhanced subscription filters', () => {
  it('ORs the groups and ANDs the filters of a group (onSpecialTicketCreated)', () => {
    // Documented filter: severity >= 7 and priority in (high, medium), or category = security.
    const filter = toSubscriptionFilter({
      or: [{ severity: { ge: 7 }, priority: { in: ['high', 'medium'] } }, { category: { eq: 'security' } }],
    });
    expect(filter).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'severity', operator: 'ge', value: 7 },
            { fieldName: 'priority', operator: 'in', value: ['high', 'medium'] },
          ],
        },
        { filters: [{ fieldName: 'category', operator: 'eq', value: 'security' }] },
      ],
    });
    expect(matchesFilter(filter, ticket({ category: 'hardware' }))).toBe(true);
    expect(matchesFilter(filter, ticket({ severity: 5, category: 'security' }))).toBe(true);
    expect(matchesFilter(filter, ticket({ severity: 5, category: 'hardware' }))).toBe(false);
    expect(matchesFilter(filter, ticket({ priority: 'low', category: 'hardware' }))).toBe(false);
  });

  it('filters on the subscription argument and more (onGroupTicketCreated)', () => {
    const filter = toSubscriptionFilter({ group: { eq: 'admin' }, severity: { between: [7, 10] }, status: { ne: 'closed' } });
    expect(matchesFilter(filter, ticket())).toBe(true);
    expect(matchesFilter(filter, ticket({ group: 'operators' }))).toBe(false);
    expect(matchesFilter(filter, ticket({ severity: 11 }))).toBe(false);
    expect(matchesFilter(filter, ticket({ status: 'closed' }))).toBe(false);
  });

  it.each([
    ['eq', 'open', 'status', true],
    ['eq', 'OPEN', 'status', false],
    ['ne', 'closed', 'status', true],
    ['lt', 9, 'severity', true],
    ['lt', 8, 'severity', false],
    ['le', 8, 'severity', true],
    ['gt', 7, 'severity', true],
    ['ge', 9, 'severity', false],
    ['gt', '2026-01-01T00:00:00Z', 'createdAt', true],
    ['contains', 'fire', 'content', true],
    ['contains', 'smoke', 'content', false],
    ['notContains', 'smoke', 'content', true],
    ['beginsWith', 'Printer', 'content', true],
    ['beginsWith', 'fire', 'content', false],
    ['in', ['high', 'medium'], 'priority', true],
    ['in', ['low'], 'priority', false],
    ['notIn', ['low'], 'priority', true],
    ['between', [1, 8], 'severity', true],
    ['between', [9, 10], 'severity', false],
  ])('%s %j on %s is %s', (operator, value, fieldName, expected) => {
    expect(conditionHolds({ fieldName, operator, value }, ticket())).toBe(expected);
  });

  it('reads list fields with contains, notContains and containsAny', () => {
    const payload = ticket({ tags: ['printer', 'urgent'] });
    expect(conditionHolds({ fieldName: 'tags', operator: 'contains', value: 'urgent' }, payload)).toBe(true);
    expect(conditionHolds({ fieldName: 'tags', operator: 'notContains', value: 'urgent' }, payload)).toBe(false);
    expect(conditionHolds({ fieldName: 'tags', operator: 'containsAny', value: ['laptop', 'urgent'] }, payload)).toBe(true);
    expect(conditionHolds({ fieldName: 'tags', operator: 'containsAny', value: ['laptop'] }, payload)).toBe(false);
  });

  it('reads nested fields by dotted name', () => {
    const payload = ticket({ reporter: { name: 'Ana', team: { name: 'ops' } } });
    expect(conditionHolds({ fieldName: 'reporter.team.name', operator: 'eq', value: 'ops' }, payload)).toBe(true);
    expect(conditionHolds({ fieldName: 'reporter.team.size', operator: 'gt', value: 1 }, payload)).toBe(false);
  });

  it('treats a field the mutation did not select as null', () => {
    const payload = { id: 'T1' };
    expect(conditionHolds({ fieldName: 'owner', operator: 'eq', value: 'alice' }, payload)).toBe(false);
    expect(conditionHolds({ fieldName: 'owner', operator: 'ne', value: 'alice' }, payload)).toBe(true);
    expect(conditionHolds({ fieldName: 'severity', operator: 'lt', value: 5 }, payload)).toBe(false);
  });

  it('passes everything without a filter or with no groups', () => {
    expect(matchesFilter(undefined, ticket())).toBe(true);
    expect(matchesFilter(toSubscriptionFilter({}), ticket())).toBe(true);
  });

  it('names what is wrong with a malformed filter', () => {
    expect(filterProblems({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'like', value: 1 }, { fieldName: 'b', operator: 'in', value: 1 }] }] })).toEqual([
      'filterGroup[0].filters[0] (a) has operator like; AppSync supports eq, ne, le, lt, ge, gt, contains, notContains, beginsWith, in, notIn, between, containsAny',
      'filterGroup[0].filters[1] (b) operator in takes a list',
    ]);
    expect(filterProblems({ filter: [] })).toEqual(['the filter must be an object with a filterGroup list']);
    expect(filterProblems(toSubscriptionFilter({ a: { between: [1, 2] } }))).toEqual([]);
  });
});
