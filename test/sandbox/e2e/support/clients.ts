// The clients a web or mobile developer and a backend caller use against AppSync and Cognito, pointed at a sandbox.
import { decodeJWT, type AuthTokens, type TokenProvider } from '@aws-amplify/core';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { createAmplifyContext } from 'aws-amplify';
import { CONNECTION_STATE_CHANGE, ConnectionState, generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import type { SandboxEndpoints } from '../../../../sandbox/start';
import { NodeSha256 } from '../../../support/node-sha256';

/** An error as AppSync puts it in `errors`. */
export interface AppSyncError {
  readonly message: string;
  readonly errorType?: string;
  readonly errorInfo?: unknown;
  readonly data?: unknown;
  readonly path?: readonly (string | number)[] | null;
  /** Set by Amplify when the request itself failed (an HTTP error); the RestApiError with the response. */
  readonly originalError?: { readonly name: string; readonly response?: { readonly statusCode: number; readonly body?: string } };
}

/** What a query or mutation answered: Amplify resolves `{ data }` and rejects `{ data, errors }`; both end up here. */
export interface GraphqlOutcome<T> {
  readonly data: T | null;
  readonly errors?: readonly AppSyncError[];
}

/** How a request Amplify saw fail at the HTTP level (AppSync's 401/403) looked on the wire. */
export interface HttpFailure {
  /** Amplify's message on the GraphQL error it made of it. */
  readonly message: string;
  /** The error name Amplify parsed from the response (AppSync's `x-amzn-errortype`). */
  readonly name: string;
  readonly status: number;
  readonly body: unknown;
}

/** The HTTP failure behind an outcome, read from the ApiError Amplify keeps as the GraphQL error's `originalError`. */
export function httpFailure(outcome: GraphqlOutcome<unknown>): HttpFailure | undefined {
  const [error] = outcome.errors ?? [];
  const response = error?.originalError?.response;
  if (!error || !response) return undefined;
  return { message: error.message, name: error.originalError?.name as string, status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
}

/** A user signed in with Cognito's SRP flow, as a web or mobile app holds them. */
export interface SignedInUser {
  readonly email: string;
  /** Cognito `sub`: the owner of the user's orders. */
  readonly sub: string;
  readonly user: CognitoUser;
  /** The session as signed in (use `tokenProvider` for current tokens). */
  readonly session: CognitoUserSession;
  /** Amplify's token provider over this user's session: refreshes through Cognito when the tokens expire. */
  readonly tokenProvider: TokenProvider;
}

/** Signs a user in with amazon-cognito-identity-js against the sandbox's Cognito endpoint (USER_SRP_AUTH). */
export function signIn(endpoints: SandboxEndpoints, email: string, password: string): Promise<SignedInUser> {
  const pool = new CognitoUserPool({ UserPoolId: endpoints.userPoolId, ClientId: endpoints.userPoolClientId, endpoint: endpoints.cognitoEndpoint });
  const user = new CognitoUser({ Username: email, Pool: pool });
  // authenticateUser runs USER_SRP_AUTH: the password never leaves the client.
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: (session) => resolve({ email, sub: session.getIdToken().decodePayload().sub as string, user, session, tokenProvider: cognitoTokenProvider(user) }),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error(`${email} must set a new password`)),
      mfaRequired: () => reject(new Error(`${email} needs MFA`)),
      totpRequired: () => reject(new Error(`${email} needs TOTP`)),
    });
  });
}

/** Signs in one of the demo users `npm start` prints, with the password it prints. */
export function signInDemoUser(endpoints: SandboxEndpoints, email: string): Promise<SignedInUser> {
  const demo = endpoints.demoUsers.find((user) => user.email === email);
  if (!demo) throw new Error(`${email} is not a demo user (${endpoints.demoUsers.map((user) => user.email).join(', ')})`);
  return signIn(endpoints, email, demo.password);
}

/** The token provider an app hands Amplify when Cognito sign-in is done by amazon-cognito-identity-js. */
export function cognitoTokenProvider(user: CognitoUser): TokenProvider {
  return {
    getTokens: (options) =>
      new Promise((resolve, reject) => {
        const done = (error: Error | null, session: CognitoUserSession | null) => (error || !session ? reject(error ?? new Error('No session')) : resolve(amplifyTokens(session)));
        const current = user.getSignInUserSession();
        // getSession refreshes only expired tokens; forceRefresh asks for new ones now.
        if (options?.forceRefresh && current) user.refreshSession(current.getRefreshToken(), done);
        else user.getSession(done);
      }),
  };
}

/** A token provider that always answers the given access token, e.g. a forged one. */
export function fixedTokenProvider(accessToken: string): TokenProvider {
  return { getTokens: async () => ({ accessToken: decodeJWT(accessToken) }) };
}

function amplifyTokens(session: CognitoUserSession): AuthTokens {
  return { accessToken: decodeJWT(session.getAccessToken().getJwtToken()), idToken: decodeJWT(session.getIdToken().getJwtToken()) };
}

/** The value Amplify's subscription observable emits. */
interface SubscriptionMessage<T> {
  readonly data: T;
}

/** Amplify's `client.graphql` for plain documents: a promise for queries and mutations, an observable for subscriptions. */
interface GraphqlClient {
  graphql(options: { query: string; variables: Record<string, unknown> }): unknown;
}

interface Observed<T> {
  subscribe(observer: { next(value: SubscriptionMessage<T>): void; error(error: unknown): void }): { unsubscribe(): void };
}

/**
 * One app's Amplify v6 GraphQL client, signed in as one user. Each gets its own Amplify context
 * (`createAmplifyContext`, the per-context form of `Amplify.configure`, taking the same two arguments), so the
 * users of one test never share a token provider; `userPool` mode sends the provider's access token.
 */
export class AmplifyApp {
  private readonly client: GraphqlClient;

  constructor(endpoints: SandboxEndpoints, tokenProvider: TokenProvider) {
    const context = createAmplifyContext(
      { API: { GraphQL: { endpoint: endpoints.graphqlUrl, region: endpoints.region, defaultAuthMode: 'userPool' } } },
      { Auth: { tokenProvider } },
    );
    // The client's generated-model typings are for Amplify Data schemas; this one sends plain documents.
    this.client = generateClient(context) as unknown as GraphqlClient;
  }

  /** Runs a query or mutation; GraphQL errors come back in `errors`, as AppSync sent them. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlOutcome<T>> {
    try {
      const result = (await this.client.graphql({ query, variables })) as { data: T };
      return { data: result.data };
    } catch (failure) {
      if (failure && typeof failure === 'object' && 'errors' in failure) return failure as GraphqlOutcome<T>;
      throw failure;
    }
  }

  /** Like {@link request} for callers that expect success: fails the test with AppSync's errors otherwise. */
  async data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const outcome = await this.request<T>(query, variables);
    if (outcome.errors?.length || outcome.data === null) throw new Error(`GraphQL errors: ${JSON.stringify(outcome.errors)}`);
    return outcome.data;
  }

  /**
   * Subscribes and resolves once AppSync acknowledged the start (Amplify's Hub `Subscription ack`), or rejects with
   * the subscription's error. Subscribe one at a time: the ack does not say which subscription it is for.
   */
  async subscribe<T>(query: string, variables: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<Feed<T>> {
    const feed = new Feed<T>();
    const stops: (() => void)[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        // CONTROL_MSG.SUBSCRIPTION_ACK of @aws-amplify/api-graphql, which does not export it.
        stops.push(
          Hub.listen('api', ({ payload }) => {
            if (payload.event === 'Subscription ack') resolve();
          }),
        );
        const timer = setTimeout(() => reject(new Error(`No start_ack within ${timeoutMs} ms for ${query}`)), timeoutMs);
        stops.push(() => clearTimeout(timer));
        feed.attach(this.client.graphql({ query, variables }) as unknown as Observed<T>, reject);
      });
    } catch (error) {
      feed.close();
      throw error;
    } finally {
      for (const stop of stops) stop();
    }
    return feed;
  }
}

// The state of Amplify's real-time WebSocket in this test file (Jest gives each file its own modules).
let connectionState: string | undefined;
let stateChanged: (() => void) | undefined;
Hub.listen('api', ({ payload }) => {
  if (payload.event !== CONNECTION_STATE_CHANGE) return;
  connectionState = (payload.data as { connectionState?: string } | undefined)?.connectionState;
  stateChanged?.();
});

/**
 * Unsubscribes every feed still open and waits until Amplify has closed its WebSocket (a second after its last
 * subscription ends), so that no reconnect attempt outlives the test file or hits a stopped sandbox.
 */
export async function closeFeeds(feeds: readonly Feed<unknown>[], timeoutMs = 5000): Promise<void> {
  for (const feed of feeds) feed.close();
  const deadline = Date.now() + timeoutMs;
  while (connectionState !== undefined && connectionState !== ConnectionState.Disconnected) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`Amplify's WebSocket is still ${connectionState} ${timeoutMs} ms after the last unsubscribe`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      stateChanged = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    stateChanged = undefined;
  }
}

/** What one subscription received, read in order. */
export class Feed<T> {
  /** Everything received so far, read or not. */
  readonly received: T[] = [];
  readonly errors: unknown[] = [];
  private read = 0;
  private waiter?: () => void;
  private subscription?: { unsubscribe(): void };

  /** Subscribes to Amplify's observable; `onError` hears the subscription fail. */
  attach(observable: Observed<T>, onError: (error: unknown) => void): void {
    this.subscription = observable.subscribe({
      next: (message) => {
        this.received.push(message.data);
        this.waiter?.();
      },
      error: (error) => {
        this.errors.push(error);
        this.subscription = undefined;
        onError(error);
        this.waiter?.();
      },
    });
  }

  /** Whether the subscription is live (not closed, not failed). */
  get subscribed(): boolean {
    return this.subscription !== undefined;
  }

  /** The next message this subscription received, waiting for it if need be. */
  async next(timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (this.read >= this.received.length) {
      if (this.errors.length > 0) throw new Error(`The subscription failed: ${JSON.stringify(this.errors)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No subscription message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.received[this.read++] as T;
  }

  /** Messages received and not yet read. */
  get unread(): T[] {
    return this.received.slice(this.read);
  }

  /** Unsubscribes: Amplify sends `stop` and closes its socket a second after its last subscription ends. */
  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}

/** What an HTTP call answered. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A backend caller (Lambda, Step Functions' HTTP task) calling AppSync with IAM: the request signed with SigV4
 * for service `appsync` with the sandbox's key pair, sent with fetch.
 */
export class IamCaller {
  private readonly signer: SignatureV4;

  constructor(private readonly endpoints: SandboxEndpoints) {
    this.signer = new SignatureV4({ service: 'appsync', region: endpoints.region, sha256: NodeSha256, credentials: endpoints.iam });
  }

  async request(query: string, variables: Record<string, unknown> = {}): Promise<HttpAnswer> {
    const url = new URL(this.endpoints.graphqlUrl);
    const body = JSON.stringify({ query, variables });
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });
    const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
    return { status: response.status, body: await response.json() };
  }
}

