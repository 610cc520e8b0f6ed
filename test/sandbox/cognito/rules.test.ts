import { authFlowProblem } from '../../../sandbox/services/cognito/auth-flows';
import { DEMO_USERS } from '../../../sandbox/services/cognito/demo-users';
import { cognitoIdentity } from '../../../sandbox/services/cognito/identity';
import { passwordPolicyOf, passwordProblems } from '../../../sandbox/services/cognito/password-policy';

describe('authFlowProblem', () => {
  const app = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

  it.each([
    [app, 'USER_SRP_AUTH', undefined],
    [app, 'USER_PASSWORD_AUTH', undefined],
    [app, 'REFRESH_TOKEN', undefined],
    [app, 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client'],
    [['ALLOW_USER_SRP_AUTH'], 'REFRESH_TOKEN', 'REFRESH_TOKEN_AUTH flow not enabled for this client'],
    [undefined, 'USER_SRP_AUTH', undefined],
    [undefined, 'USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH flow not enabled for this client'],
    [['ADMIN_NO_SRP_AUTH'], 'ADMIN_USER_PASSWORD_AUTH', undefined],
    [['ADMIN_NO_SRP_AUTH'], 'USER_SRP_AUTH', undefined],
    [['ADMIN_NO_SRP_AUTH'], 'USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH flow not enabled for this client'],
  ])('clients allowing %j: %s -> %s', (flows, authFlow, problem) => {
    expect(authFlowProblem(flows, authFlow)).toBe(problem);
  });
});

describe('passwordProblems', () => {
  const platformPolicy = passwordPolicyOf({
    password_policy: [{ minimum_length: 12, require_lowercase: true, require_numbers: true, require_symbols: true, require_uppercase: true }],
  });

  it("accepts every demo user's password under the platform's policy", () => {
    expect(DEMO_USERS.flatMap((user) => passwordProblems(platformPolicy, user.password))).toEqual([]);
  });

  it('lists everything a password lacks', () => {
    expect(passwordProblems(platformPolicy, 'short')).toEqual(['is shorter than 12 characters', 'has no uppercase letter', 'has no number', 'has no symbol']);
  });

  it("takes Cognito's defaults for a pool without a policy", () => {
    expect(passwordPolicyOf({})).toEqual({ minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true });
  });
});

describe('cognitoIdentity', () => {
  it('takes the username of an access token from `username` and gives no groups as null', () => {
    const claims = { sub: 's-1', iss: 'http://127.0.0.1:9229/local_abc', username: 's-1', token_use: 'access', client_id: 'c' };

    expect(cognitoIdentity(claims)).toEqual({
      sub: 's-1',
      issuer: 'http://127.0.0.1:9229/local_abc',
      username: 's-1',
      claims,
      sourceIp: [],
      defaultAuthStrategy: 'ALLOW',
      groups: null,
    });
  });

  it('copies the caller address and the default action', () => {
    const identity = cognitoIdentity({ sub: 's', iss: 'i', 'cognito:username': 'u', 'cognito:groups': ['admin'] }, { sourceIp: ['10.0.0.1'], defaultAuthStrategy: 'DENY' });

    expect(identity).toMatchObject({ username: 'u', groups: ['admin'], sourceIp: ['10.0.0.1'], defaultAuthStrategy: 'DENY' });
  });
});
