import {
  AuthenticationError,
  type AcceptedSubscription,
  type AuthRequest,
  type Caller,
  type GraphqlEngine,
  type GraphqlRequest,
  type MutationPublished,
} from '../../../../sandbox/services/appsync/contracts';

/** The only token the fake engine accepts. */
export const GOOD_TOKEN = 'good-token';

/**
 * A GraphQL engine reduced to what the real-time server uses: `good-token` is a Cognito user, anything else
 * is refused; the one subscription field, `onOrderUpdated(owner)`, is fed by `updateOrder` and filters on
 * `owner`. Every authenticate call is recorded, and `publish` plays the part of a resolved mutation.
 */
export class FakeEngine implements GraphqlEngine {
  readonly authRequests: AuthRequest[] = [];
  private readonly listeners = new Set<(event: MutationPublished) => void>();
  private gate: Promise<void> = Promise.resolve();

  async authenticate(request: AuthRequest): Promise<Caller> {
    this.authRequests.push(request);
    await this.gate;
    if (request.headers.authorization !== GOOD_TOKEN) throw new AuthenticationError('You are not authorized to make this call.');
    return { mode: 'AMAZON_COGNITO_USER_POOLS', identity: { sub: 'user-1', username: 'alice' }, sourceIp: request.sourceIp };
  }

  async execute(): Promise<never> {
    throw new Error('The real-time server never executes queries');
  }

  async subscribe(request: GraphqlRequest): ReturnType<GraphqlEngine['subscribe']> {
    if (!request.query.includes('onOrderUpdated')) {
      return { errors: [{ errorType: 'ValidationError', message: 'Validation error: only onOrderUpdated is a subscription field' }] };
    }
    const owner = typeof request.variables?.owner === 'string' ? request.variables.owner : undefined;
    const subscription: AcceptedSubscription = {
      fieldName: 'onOrderUpdated',
      mutations: ['updateOrder'],
      arguments: owner === undefined ? {} : { owner },
      matches: (_mutation, payload) => owner === undefined || payload.owner === owner,
      shape: (payload) => ({ data: { onOrderUpdated: { id: payload.id, owner: payload.owner, status: payload.status } } }),
    };
    return { subscription };
  }

  onMutation(listener: (event: MutationPublished) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Holds every authenticate call until the returned function is called, to act between a start and its answer. */
  hold(): () => void {
    let release = (): void => undefined;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = Promise.resolve();
      release();
    };
  }

  /** Publishes a mutation result as the engine does after a mutation resolves. */
  publish(event: MutationPublished): void {
    for (const listener of this.listeners) listener(event);
  }

  /** How many `onMutation` listeners are registered. */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
