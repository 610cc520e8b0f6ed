import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  UserNotFoundException,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { passwordProblems, type PasswordPolicy } from './password-policy';

/** A user the sandbox creates so people and tests can sign in straight away. */
export interface DemoUser {
  readonly email: string;
  readonly password: string;
  readonly groups: readonly string[];
}

/** The password of every demo user: 16 characters with upper, lower, digit and symbol, so any policy up to length 16 accepts it. */
export const DEMO_PASSWORD = 'Sandbox-Demo-42!';

/** An administrator and two customers, in the groups the auth stack defines. */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@example.com', password: DEMO_PASSWORD, groups: ['admin'] },
  { email: 'alice@example.com', password: DEMO_PASSWORD, groups: ['customer'] },
  { email: 'bob@example.com', password: DEMO_PASSWORD, groups: ['customer'] },
];

/** The pool to seed. */
export interface SeedTarget {
  readonly poolId: string;
  readonly poolName: string;
  readonly groups: readonly string[];
  readonly passwordPolicy: PasswordPolicy;
}

/** A seeded user and its `sub`, which is also its Cognito username in an email sign-in pool. */
export interface SeededUser extends DemoUser {
  readonly sub: string;
}

/**
 * Makes each user exist, confirmed, with its password permanent and in its groups; running it again
 * changes nothing (and restores a password someone changed). Every problem (a password the pool's
 * policy refuses, a group the pool lacks) is reported at once before anything is written, because
 * cognito-local enforces neither.
 */
export async function seedUsers(client: CognitoIdentityProviderClient, target: SeedTarget, users: readonly DemoUser[] = DEMO_USERS): Promise<SeededUser[]> {
  const problems = users.flatMap((user) => [
    ...passwordProblems(target.passwordPolicy, user.password).map((problem) => `${user.email}: password ${problem}`),
    ...user.groups.filter((group) => !target.groups.includes(group)).map((group) => `${user.email}: group ${group} is not a group of the pool (${target.groups.join(', ')})`),
  ]);
  if (problems.length > 0) throw new Error(`Cannot seed demo users into ${target.poolName}:\n- ${problems.join('\n- ')}`);

  const seeded: SeededUser[] = [];
  for (const user of users) {
    const base = { UserPoolId: target.poolId, Username: user.email };
    const existing = await client.send(new AdminGetUserCommand(base)).catch((error: unknown) => {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    });
    const attributes =
      existing?.UserAttributes ??
      (
        await client.send(
          new AdminCreateUserCommand({
            ...base,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: user.email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        )
      ).User?.Attributes;
    await client.send(new AdminSetUserPasswordCommand({ ...base, Password: user.password, Permanent: true }));
    for (const group of user.groups) await client.send(new AdminAddUserToGroupCommand({ ...base, GroupName: group }));
    seeded.push({ ...user, sub: attributes?.find((attribute) => attribute.Name === 'sub')?.Value as string });
  }
  return seeded;
}
