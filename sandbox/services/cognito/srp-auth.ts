import { randomBytes, timingSafeEqual } from 'node:crypto';
import { awsError, callOperation, type AwsJsonReply } from './aws-json';
import type { EmulatorStore } from './emulator-store';
import { expectedSignature, srpB, srpChallenge, type SrpChallenge } from './srp';

interface Pending {
  readonly challenge: SrpChallenge;
  readonly clientId: string;
  /** Undefined for an unknown user: the challenge is issued anyway so that nobody learns who exists. */
  readonly password: string | undefined;
  readonly expires: number;
}

/** How long a PASSWORD_VERIFIER challenge can be answered; Cognito's sign-in sessions last 3 minutes. */
const CHALLENGE_TTL_MS = 3 * 60_000;

/**
 * USER_SRP_AUTH for cognito-local, which supports only USER_PASSWORD_AUTH: answers InitiateAuth with a
 * PASSWORD_VERIFIER challenge, checks the client's password claim against the stored password, and
 * then signs the user in through cognito-local's USER_PASSWORD_AUTH, so tokens, refresh tokens, user
 * status (NEW_PASSWORD_REQUIRED, unconfirmed) and MFA challenges all come from cognito-local.
 */
export class SrpAuthenticator {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly store: EmulatorStore,
    /** cognito-local's URL. */
    private readonly upstream: string,
  ) {}

  /** InitiateAuth with `AuthFlow: USER_SRP_AUTH`. */
  initiate(request: Record<string, unknown>): AwsJsonReply {
    const clientId = String(request.ClientId ?? '');
    const parameters = (request.AuthParameters ?? {}) as Record<string, unknown>;
    const client = this.store.client(clientId);
    if (!client) return awsError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    if (typeof parameters.USERNAME !== 'string' || !parameters.USERNAME) return awsError('InvalidParameterException', 'Missing required parameter USERNAME');
    if (typeof parameters.SRP_A !== 'string' || !/^[0-9a-f]+$/i.test(parameters.SRP_A)) {
      return awsError('InvalidParameterException', 'Missing required parameter SRP_A');
    }
    const user = this.store.user(client.UserPoolId, parameters.USERNAME);
    const userId = user?.Username ?? parameters.USERNAME;
    const challenge = srpChallenge(client.UserPoolId, userId, user?.Password ?? randomBytes(32).toString('hex'), parameters.SRP_A);
    if (!challenge) return awsError('InvalidParameterException', 'SRP_A is not a valid SRP public value');
    const secretBlock = randomBytes(64).toString('base64');
    this.prune();
    this.pending.set(secretBlock, { challenge, clientId, password: user?.Password, expires: Date.now() + CHALLENGE_TTL_MS });
    return {
      status: 200,
      body: JSON.stringify({
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: { SALT: challenge.salt, SRP_B: srpB(challenge), SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: userId, USERNAME: userId },
      }),
    };
  }

  /** RespondToAuthChallenge with `ChallengeName: PASSWORD_VERIFIER`. */
  async respond(request: Record<string, unknown>): Promise<AwsJsonReply> {
    const responses = (request.ChallengeResponses ?? {}) as Record<string, unknown>;
    const secretBlock = String(responses.PASSWORD_CLAIM_SECRET_BLOCK ?? '');
    const pending = this.pending.get(secretBlock);
    this.pending.delete(secretBlock);
    if (!pending || pending.expires < Date.now() || pending.clientId !== request.ClientId || pending.challenge.userId !== responses.USERNAME) {
      return awsError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    }
    const expected = Buffer.from(expectedSignature(pending.challenge, secretBlock, String(responses.TIMESTAMP ?? '')));
    const claimed = Buffer.from(String(responses.PASSWORD_CLAIM_SIGNATURE ?? ''));
    if (pending.password === undefined || claimed.length !== expected.length || !timingSafeEqual(claimed, expected)) {
      return awsError('NotAuthorizedException', 'Incorrect username or password.');
    }
    return callOperation(this.upstream, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: pending.clientId,
      AuthParameters: { USERNAME: pending.challenge.userId, PASSWORD: pending.password },
      ClientMetadata: request.ClientMetadata,
    });
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, pending] of this.pending) if (pending.expires < now) this.pending.delete(key);
  }
}
