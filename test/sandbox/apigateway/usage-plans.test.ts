import { TokenBucket, UsagePlans, type ApiKeyDefinition, type UsagePlanDefinition } from '../../../sandbox/services/apigateway';

const KEYS: ApiKeyDefinition[] = [
  { id: 'k1', name: 'partner-a', value: 'value-a', enabled: true },
  { id: 'k2', name: 'partner-b', value: 'value-b', enabled: true },
  { id: 'k3', name: 'off', value: 'value-off', enabled: false },
  { id: 'k4', name: 'planless', value: 'value-planless', enabled: true },
];

function plan(overrides: Partial<UsagePlanDefinition> = {}): UsagePlanDefinition {
  return { id: 'p1', name: 'plan', stages: [{ apiId: 'api', stage: 'live', methodThrottles: new Map() }], keyIds: ['k1', 'k2', 'k3'], ...overrides };
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    // Never more than the burst, however long it waits.
    expect([0, 0, 0, 0].map(() => bucket.take(60_000))).toEqual([true, true, true, false]);
  });

  it('lets one request through at a time when the plan sets a rate without a burst', () => {
    const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 0 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(1000)]).toEqual([true, false, true]);
  });
});

describe('UsagePlans', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = Date.UTC(2026, 0, 15, 12);
  });

  it('refuses a missing, unknown, disabled or planless key, and a key whose plan does not cover the stage', () => {
    const plans = new UsagePlans(KEYS, [plan()], clock);
    for (const value of [undefined, 'nope', 'value-off', 'value-planless']) expect(plans.check(value, 'api', 'live', '/orders/POST')).toEqual({ outcome: 'invalid-key' });
    expect(plans.check('value-a', 'api', 'staging', '/orders/POST')).toEqual({ outcome: 'invalid-key' });
    expect(plans.check('value-a', 'other-api', 'live', '/orders/POST')).toEqual({ outcome: 'invalid-key' });
    expect(plans.check('value-a', 'api', 'live', '/orders/POST')).toEqual({ outcome: 'ok', key: KEYS[0] });
  });

  it("throttles each key in its own bucket; a method throttle replaces the plan's for that method", () => {
    const plans = new UsagePlans(
      KEYS,
      [plan({ throttle: { rateLimit: 1, burstLimit: 1 }, stages: [{ apiId: 'api', stage: 'live', methodThrottles: new Map([['/orders/GET', { rateLimit: 1, burstLimit: 3 }]]) }] })],
      clock,
    );
    expect(plans.check('value-a', 'api', 'live', '/orders/POST').outcome).toBe('ok');
    expect(plans.check('value-a', 'api', 'live', '/orders/POST').outcome).toBe('throttled');
    expect(plans.check('value-b', 'api', 'live', '/orders/POST').outcome).toBe('ok');
    expect([1, 2, 3, 4].map(() => plans.check('value-a', 'api', 'live', '/orders/GET').outcome)).toEqual(['ok', 'ok', 'ok', 'throttled']);
    now += 1000;
    expect(plans.check('value-a', 'api', 'live', '/orders/POST').outcome).toBe('ok');
  });

  it('counts a quota per key and period, less the offset in the first period', () => {
    const plans = new UsagePlans(KEYS, [plan({ quota: { limit: 3, period: 'DAY', offset: 1 } })], clock);
    expect([1, 2, 3].map(() => plans.check('value-a', 'api', 'live', '/orders/POST').outcome)).toEqual(['ok', 'ok', 'quota-exceeded']);
    expect(plans.check('value-b', 'api', 'live', '/orders/POST').outcome).toBe('ok');
    now = Date.UTC(2026, 0, 16, 0, 0, 1);
    expect([1, 2, 3, 4].map(() => plans.check('value-a', 'api', 'live', '/orders/POST').outcome)).toEqual(['ok', 'ok', 'ok', 'quota-exceeded']);
  });
});
