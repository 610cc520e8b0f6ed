import type {
  AppSyncContext,
  AuthType,
  CacheEviction,
  EarlyReturn,
  LogEntry,
  ResolverError,
  SubscriptionInvalidation,
} from './types';

/** The mutable record of one handler invocation; `util`, `extensions` and `runtime` write into it. */
export class InvocationState {
  error?: ResolverError;
  unauthorized = false;
  earlyReturn?: EarlyReturn;
  readonly appendedErrors: ResolverError[] = [];
  subscriptionFilter?: unknown;
  subscriptionInvalidationFilter?: unknown;
  readonly invalidations: SubscriptionInvalidation[] = [];
  readonly cacheEvictions: CacheEviction[] = [];
  readonly responseHeaders: Record<string, unknown> = {};
  readonly logs: LogEntry[] = [];

  constructor(
    readonly ctx: AppSyncContext,
    readonly authType: AuthType,
  ) {}
}

/**
 * Thrown by `util.error`, `util.unauthorized` and `runtime.earlyReturn` to stop the handler, as
 * AppSync does. What happened is recorded on the state before the throw, so the outcome does not
 * depend on the resolver letting this error through.
 */
export class HandlerAbort extends Error {
  override name = 'HandlerAbort';

  constructor(readonly reason: 'error' | 'unauthorized' | 'earlyReturn') {
    super(`handler aborted by ${reason}`);
  }
}

/**
 * Holds the state of the invocation under way. A module is evaluated once but invoked many times,
 * so the objects it imported look the current state up here on every call.
 */
export class StateSlot {
  private current: InvocationState | undefined;

  /** The state of the invocation under way, or undefined while the module itself is being evaluated. */
  peek(): InvocationState | undefined {
    return this.current;
  }

  /** The state of the invocation under way; `what` names the caller for the error when there is none. */
  require(what: string): InvocationState {
    if (!this.current) {
      throw new Error(`${what} can only be called while a request or response handler runs`);
    }
    return this.current;
  }

  /** Runs `fn` with `state` as the current invocation. */
  with<T>(state: InvocationState, fn: () => T): T {
    const previous = this.current;
    this.current = state;
    try {
      return fn();
    } finally {
      this.current = previous;
    }
  }
}
