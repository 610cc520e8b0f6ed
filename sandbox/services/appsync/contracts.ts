/**
 * The seams of the sandbox's AppSync service: the GraphQL engine (HTTP queries and mutations, auth,
 * resolvers) and the real-time WebSocket server are built separately and meet only here.
 */

/** An HTTP-shaped request to authenticate: a GraphQL POST, or a WebSocket connect/start authorization. */
export interface AuthRequest {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly method: string;
  /** The URL path the client signed, e.g. `/graphql` or `/graphql/connect`. */
  readonly path: string;
  /** The exact body the client signed (SigV4 hashes it). */
  readonly body: string;
  readonly sourceIp: string;
}

/** Auth modes AppSync names in schema directives and Terraform. */
export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'API_KEY' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

/** Who is calling, and through which mode; `identity` is what resolvers see as `ctx.identity`. */
export interface Caller {
  readonly mode: AuthMode;
  readonly identity: unknown;
  readonly sourceIp: string;
}

/** An error in AppSync's GraphQL error shape (top-level `errorType`, not under `extensions`). */
export interface AppSyncError {
  message: string;
  errorType: string;
  data?: unknown;
  errorInfo?: unknown;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
}

/** Raised by `authenticate`: the request carries no valid credentials for any enabled mode. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    message: string,
    /** AppSync's errorType, e.g. `UnauthorizedException`. */
    readonly errorType = 'UnauthorizedException',
  ) {
    super(message);
  }
}

/** A GraphQL request as clients send it. */
export interface GraphqlRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown> | null;
  readonly operationName?: string | null;
}

/** What a GraphQL HTTP call answers. */
export interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors?: AppSyncError[];
}

/** A subscription the engine accepted: its field, its enhanced filter and how to shape a payload for it. */
export interface AcceptedSubscription {
  /** The subscription field, e.g. `onOrderUpdated`. */
  readonly fieldName: string;
  /** Mutations (`@aws_subscribe`) whose results feed it. */
  readonly mutations: readonly string[];
  /** The subscription's arguments, for AppSync's argument-based filtering of top-level payload fields. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The enhanced filter the subscription resolver set, if any (`{ filterGroup: [{ filters: [...] }] }`). */
  readonly filter?: unknown;
  /** Whether a mutation result should reach this subscriber (argument and enhanced filters). */
  matches(mutationField: string, payload: Record<string, unknown>): boolean;
  /** The `data` message payload for one mutation result, shaped by the subscription's selection set. */
  shape(payload: Record<string, unknown>): GraphqlResponse;
}

/** A mutation that resolved; its value is limited to the fields the mutation's caller selected. */
export interface MutationPublished {
  readonly fieldName: string;
  readonly payload: Record<string, unknown>;
}

/** The GraphQL engine as the HTTP and WebSocket front ends use it. */
export interface GraphqlEngine {
  /** Authenticates a request with whichever enabled mode its headers carry; throws {@link AuthenticationError}. */
  authenticate(request: AuthRequest): Promise<Caller>;
  /** Runs a query or mutation as AppSync would, publishing subscribed mutations' results. */
  execute(request: GraphqlRequest, caller: Caller, headers: Readonly<Record<string, string | undefined>>): Promise<GraphqlResponse>;
  /** Validates and authorizes a subscription and runs its resolver; errors are AppSync-shaped. */
  subscribe(request: GraphqlRequest, caller: Caller): Promise<{ subscription: AcceptedSubscription } | { errors: AppSyncError[] }>;
  /** Calls the listener for every published mutation result; returns an unsubscribe function. */
  onMutation(listener: (event: MutationPublished) => void): () => void;
}
