import { HandlerAbort, type StateSlot } from './state';

// Values handed to AppSync leave the handler as JSON, so they are normalised here too.
function plain<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/** Builds the `extensions` object of one loaded module. */
export function createExtensions(slot: StateSlot) {
  return {
    setSubscriptionFilter(filter: unknown): void {
      slot.require('extensions.setSubscriptionFilter').subscriptionFilter = plain(filter);
    },
    setSubscriptionInvalidationFilter(filter: unknown): void {
      slot.require('extensions.setSubscriptionInvalidationFilter').subscriptionInvalidationFilter = plain(filter);
    },
    invalidateSubscriptions(invalidation: { subscriptionField: string; payload: Record<string, unknown> }): void {
      slot.require('extensions.invalidateSubscriptions').invalidations.push(plain(invalidation));
    },
    evictFromApiCache(typeName: string, fieldName: string, keys: Record<string, unknown>): void {
      slot.require('extensions.evictFromApiCache').cacheEvictions.push({ typeName, fieldName, keys: plain(keys) });
    },
  };
}

/** Builds the `runtime` object of one loaded module. */
export function createRuntime(slot: StateSlot) {
  return {
    earlyReturn(value?: unknown, returnOptions?: { skipTo: 'END' | 'NEXT' }): never {
      const state = slot.require('runtime.earlyReturn');
      state.earlyReturn = returnOptions?.skipTo ? { value, skipTo: returnOptions.skipTo } : { value };
      throw new HandlerAbort('earlyReturn');
    },
  };
}
