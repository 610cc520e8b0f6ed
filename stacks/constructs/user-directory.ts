import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { Construct } from 'constructs';
import type { MfaMode } from '../../config';

/** Props of {@link UserDirectory}. */
export interface UserDirectoryProps {
  /** User pool name, from the naming helper. */
  readonly name: string;
  /** MFA enforcement; TOTP (software token) is the second factor. */
  readonly mfa: MfaMode;
  /** Refuse `terraform destroy` of the pool. */
  readonly deletionProtection: boolean;
  /** Groups to create, highest precedence first. */
  readonly groups: readonly { name: string; description: string }[];
  /** Minimum password length. @default 12 */
  readonly minimumPasswordLength?: number;
  /** Function Cognito runs after a user confirms (records their profile). @default none */
  readonly postConfirmationFunctionArn?: string;
}

/**
 * A Cognito user pool for people signing in with their email, and one public app client for web and
 * mobile (no secret: a secret cannot be kept in a browser or an app). There is deliberately no identity
 * pool, so there are no unauthenticated identities; backend callers use IAM.
 */
export class UserDirectory extends Construct {
  /** The pool. */
  readonly userPool: CognitoUserPool;
  /** The public client for web and mobile apps. */
  readonly client: CognitoUserPoolClient;
  /** Groups by name. */
  readonly groups: Readonly<Record<string, CognitoUserGroup>>;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    const minimumLength = props.minimumPasswordLength ?? 12;
    const problems: string[] = [];
    if (minimumLength < 8 || minimumLength > 99) problems.push('minimumPasswordLength must be between 8 and 99');
    if (props.groups.length === 0) problems.push('groups must name at least one group');
    for (const group of props.groups) {
      if (!/^[a-zA-Z0-9_-]{1,128}$/.test(group.name)) problems.push(`groups.${group.name}: name must be letters, digits, _ or -`);
    }
    if (problems.length > 0) throw new Error(`UserDirectory ${id}:\n- ${problems.join('\n- ')}`);

    this.userPool = new CognitoUserPool(this, 'pool', {
      name: props.name,
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      usernameConfiguration: { caseSensitive: false },
      mfaConfiguration: props.mfa,
      softwareTokenMfaConfiguration: props.mfa === 'OFF' ? undefined : { enabled: true },
      passwordPolicy: {
        minimumLength,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
      accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: false },
      deletionProtection: props.deletionProtection ? 'ACTIVE' : 'INACTIVE',
      lambdaConfig: props.postConfirmationFunctionArn ? { postConfirmation: props.postConfirmationFunctionArn } : undefined,
      schema: [{ name: 'email', attributeDataType: 'String', required: true, mutable: true, stringAttributeConstraints: { minLength: '3', maxLength: '254' } }],
    });

    this.client = new CognitoUserPoolClient(this, 'client', {
      name: `${props.name}-app`,
      userPoolId: this.userPool.id,
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' }],
      readAttributes: ['email', 'email_verified'],
      writeAttributes: ['email'],
    });

    const groups: Record<string, CognitoUserGroup> = {};
    props.groups.forEach((group, precedence) => {
      groups[group.name] = new CognitoUserGroup(this, `group-${group.name}`, {
        userPoolId: this.userPool.id,
        name: group.name,
        description: group.description,
        precedence,
      });
    });
    this.groups = groups;
  }
}
