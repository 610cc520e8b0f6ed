// API keys and usage plans: which key may call which stage, and the per-key throttle (a token bucket:
// `burstLimit` tokens, refilled at `rateLimit` per second) and quota of the plan that covers it.
import type { ApiKeyDefinition, QuotaLimits, ThrottleLimits, UsagePlanDefinition } from './definition';

/** A token bucket: `burst` tokens, refilled continuously at `rate` per second. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;

  constructor(
    private readonly limits: ThrottleLimits,
    now: number,
  ) {
    // A plan with a rate but no burst still lets one request through at a time.
    this.capacity = limits.burstLimit > 0 ? limits.burstLimit : Math.max(1, Math.ceil(limits.rateLimit));
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  /** Takes a token if one is left. */
  take(now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.limits.rateLimit);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The start of the quota period `now` falls in (UTC; weeks start on Sunday). */
export function periodStart(period: QuotaLimits['period'], now: number): number {
  const date = new Date(now);
  if (period === 'MONTH') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return period === 'WEEK' ? day - date.getUTCDay() * 86_400_000 : day;
}

/** Why a call with an API key is refused, or `ok`. */
export type KeyCheck = { readonly outcome: 'ok'; readonly key: ApiKeyDefinition } | { readonly outcome: 'invalid-key' | 'throttled' | 'quota-exceeded' };

/** Checks API keys against the usage plans and keeps each key's buckets and quota counts. */
export class UsagePlans {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly quotas = new Map<string, { start: number; used: number; first: boolean }>();

  constructor(
    private readonly keys: readonly ApiKeyDefinition[],
    private readonly plans: readonly UsagePlanDefinition[],
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The verdict on a call to an `api_key_required` method: the key must exist, be enabled and belong to a
   * plan that covers the API's stage; then the plan's throttle (the method's own if the plan sets one) and
   * quota apply to that key.
   */
  check(apiKeyValue: string | undefined, apiId: string, stage: string, methodPath: string): KeyCheck {
    const key = apiKeyValue === undefined ? undefined : this.keys.find((candidate) => candidate.value === apiKeyValue && candidate.enabled);
    if (!key) return { outcome: 'invalid-key' };
    const plan = this.plans.find((candidate) => candidate.keyIds.includes(key.id) && candidate.stages.some((entry) => entry.apiId === apiId && entry.stage === stage));
    if (!plan) return { outcome: 'invalid-key' };
    const now = this.clock();
    const planStage = plan.stages.find((entry) => entry.apiId === apiId && entry.stage === stage);
    const methodThrottle = planStage?.methodThrottles.get(methodPath);
    const limits = methodThrottle ?? plan.throttle;
    if (limits) {
      const bucketKey = `${plan.id} ${key.id} ${apiId} ${stage} ${methodThrottle ? methodPath : '*'}`;
      let bucket = this.buckets.get(bucketKey);
      if (!bucket) {
        bucket = new TokenBucket(limits, now);
        this.buckets.set(bucketKey, bucket);
      }
      if (!bucket.take(now)) return { outcome: 'throttled' };
    }
    if (plan.quota) {
      const quotaKey = `${plan.id} ${key.id}`;
      const start = periodStart(plan.quota.period, now);
      let quota = this.quotas.get(quotaKey);
      if (!quota) quota = { start, used: 0, first: true };
      if (quota.start !== start) quota = { start, used: 0, first: false };
      this.quotas.set(quotaKey, quota);
      // The offset is taken off the limit in the first period only, as API Gateway does.
      const limit = quota.first ? plan.quota.limit - plan.quota.offset : plan.quota.limit;
      if (quota.used >= limit) return { outcome: 'quota-exceeded' };
      quota.used += 1;
    }
    return { outcome: 'ok', key };
  }
}
