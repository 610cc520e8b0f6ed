import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { onlyResource, policyDocuments, resourcesOf, synthPlatform } from './synth';

describe('AuthStack', () => {
  const { auth } = synthPlatform('local');

  it('signs people in by email with a strong password policy', () => {
    const pool = onlyResource(auth.doc, 'aws_cognito_user_pool');
    expect(pool.username_attributes).toEqual(['email']);
    expect(pool.auto_verified_attributes).toEqual(['email']);
    expect(pool.password_policy).toEqual({
      minimum_length: 12,
      require_lowercase: true,
      require_uppercase: true,
      require_numbers: true,
      require_symbols: true,
      temporary_password_validity_days: 3,
    });
  });

  it('takes MFA and deletion protection from the environment', () => {
    const local = onlyResource(auth.doc, 'aws_cognito_user_pool');
    expect(local.mfa_configuration).toBe('OFF');
    expect(local.software_token_mfa_configuration).toBeUndefined();
    expect(local.deletion_protection).toBe('INACTIVE');
    const prod = onlyResource(synthPlatform('prod').auth.doc, 'aws_cognito_user_pool');
    expect(prod.mfa_configuration).toBe('ON');
    expect(prod.software_token_mfa_configuration).toEqual({ enabled: true });
    expect(prod.deletion_protection).toBe('ACTIVE');
  });

  it('gives web and mobile apps a client without a secret that signs in with SRP or a password', () => {
    expect(auth.json).toHaveResourceWithProperties(CognitoUserPoolClient, {
      generate_secret: false,
      explicit_auth_flows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      prevent_user_existence_errors: 'ENABLED',
      enable_token_revocation: true,
    });
  });

  it('creates the admin and customer groups', () => {
    expect(auth.json).toHaveResourceWithProperties(CognitoUserGroup, { name: 'admin', precedence: 0 });
    expect(auth.json).toHaveResourceWithProperties(CognitoUserGroup, { name: 'customer', precedence: 1 });
  });

  it('has no identity pool, so there are no unauthenticated identities', () => {
    for (const stack of Object.values(synthPlatform('local'))) {
      expect(resourcesOf(stack.doc, 'aws_cognito_identity_pool')).toEqual([]);
    }
  });

  it("records each confirmed customer's profile with a post-confirmation trigger that may only put CUSTOMER# items", () => {
    const pool = onlyResource(auth.doc, 'aws_cognito_user_pool');
    expect(String((pool.lambda_config as { post_confirmation: string }).post_confirmation)).toMatch(/^\$\{aws_lambda_function\.record-customer-profile.+\.arn\}$/);
    const fn = onlyResource(auth.doc, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 'orders-local-record-customer-profile', timeout: 5, runtime: 'nodejs22.x', architectures: ['arm64'] });
    expect(onlyResource(auth.doc, 'aws_lambda_permission')).toMatchObject({ principal: 'cognito-idp.amazonaws.com', action: 'lambda:InvokeFunction' });
    const statements = Object.values(policyDocuments(auth.doc)).flatMap((doc) => doc.statement);
    expect(statements.find((statement) => statement.sid === 'PutCustomerProfiles')).toMatchObject({
      actions: ['dynamodb:PutItem'],
      condition: [{ test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: ['CUSTOMER#*'] }],
    });
  });
});
