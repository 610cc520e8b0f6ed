import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoAccessToken, type CognitoUserSession } from 'amazon-cognito-identity-js';
import type { ConsoleConfig } from './config';

/** The signed-in person, from their ID token. */
export interface SignedInUser {
  readonly email: string;
  readonly sub: string;
  readonly groups: readonly string[];
  readonly isAdmin: boolean;
}

/** A JWT as Amplify's token provider hands it over: the raw token and its claims. */
export interface Jwt {
  readonly payload: ReturnType<CognitoAccessToken['decodePayload']>;
  toString(): string;
}

function jwt(token: Pick<CognitoAccessToken, 'getJwtToken' | 'decodePayload'>): Jwt {
  const raw = token.getJwtToken();
  return { payload: token.decodePayload(), toString: () => raw };
}

function userOf(session: CognitoUserSession): SignedInUser {
  const claims = session.getIdToken().decodePayload() as { email?: string; sub?: string; 'cognito:groups'?: string[] };
  const groups = claims['cognito:groups'] ?? [];
  return { email: claims.email ?? '', sub: claims.sub ?? '', groups, isAdmin: groups.includes('admin') };
}

/**
 * Cognito sign-in with amazon-cognito-identity-js: SRP (the library's default flow, the password never
 * leaves the page) against the sandbox's Cognito endpoint. Tokens stay in localStorage, as the library
 * keeps them, so a reload keeps the person signed in; expired tokens are refreshed on the next call.
 */
export class Session {
  private readonly pool: CognitoUserPool;

  constructor(config: ConsoleConfig) {
    this.pool = new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.userPoolClientId, endpoint: config.cognitoEndpoint });
  }

  /** Signs in with email and password; rejects with Cognito's error (e.g. "Incorrect username or password."). */
  signIn(email: string, password: string): Promise<SignedInUser> {
    const user = new CognitoUser({ Username: email, Pool: this.pool });
    return new Promise((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
        onSuccess: (session) => resolve(userOf(session)),
        onFailure: (error: Error) => reject(error),
        newPasswordRequired: () => reject(new Error(`${email} must set a new password first; the console does not handle that challenge`)),
      });
    });
  }

  /** The person signed in earlier in this browser, if their session is still valid (refreshed when needed). */
  async current(): Promise<SignedInUser | undefined> {
    const session = await this.session();
    return session ? userOf(session) : undefined;
  }

  /** The ID and access tokens of the current session, refreshed when expired; undefined when signed out. */
  async tokens(): Promise<{ accessToken: Jwt; idToken: Jwt } | undefined> {
    const session = await this.session();
    return session ? { accessToken: jwt(session.getAccessToken()), idToken: jwt(session.getIdToken()) } : undefined;
  }

  /** Forgets the tokens in this browser. */
  signOut(): void {
    this.pool.getCurrentUser()?.signOut();
  }

  private session(): Promise<CognitoUserSession | undefined> {
    const user = this.pool.getCurrentUser();
    if (!user) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      // A session that cannot be refreshed (revoked, pool reset) means signed out, not a failure.
      user.getSession((error: Error | null, session: CognitoUserSession | null) => resolve(!error && session?.isValid() ? session : undefined));
    });
  }
}
