import { clientSettings, groupSettings, poolSettings } from '../../../sandbox/services/cognito/terraform-settings';

/** The pool as UserDirectory synthesizes it, references already resolved. */
const POOL = {
  '//': { metadata: { path: 'auth/users/pool' } },
  name: 'orders-local-users',
  username_attributes: ['email'],
  auto_verified_attributes: ['email'],
  username_configuration: { case_sensitive: false },
  mfa_configuration: 'OPTIONAL',
  software_token_mfa_configuration: { enabled: true },
  password_policy: { minimum_length: 12, require_lowercase: true, require_numbers: true, require_symbols: true, require_uppercase: true, temporary_password_validity_days: 3 },
  account_recovery_setting: { recovery_mechanism: [{ name: 'verified_email', priority: 1 }] },
  admin_create_user_config: { allow_admin_create_user_only: false },
  deletion_protection: 'ACTIVE',
  schema: [{ attribute_data_type: 'String', mutable: true, name: 'email', required: true, string_attribute_constraints: { max_length: '254', min_length: '3' } }],
};

describe('poolSettings', () => {
  it('translates every argument UserDirectory synthesizes, TOTP through SetUserPoolMfaConfig', () => {
    const settings = poolSettings(POOL);

    expect(settings.input).toMatchObject({
      PoolName: 'orders-local-users',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: 'OPTIONAL',
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 3 } },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      Schema: [{ Name: 'email', AttributeDataType: 'String', Mutable: true, Required: true, StringAttributeConstraints: { MinLength: '3', MaxLength: '254' } }],
    });
    expect(settings.mfa).toEqual({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    expect(settings.unsupported).toEqual([]);
  });

  it('reads single blocks synthesized as one-element lists the same way', () => {
    const asLists = { ...POOL, password_policy: [POOL.password_policy], username_configuration: [POOL.username_configuration] };

    expect(poolSettings(asLists).input).toEqual(poolSettings(POOL).input);
  });

  it('names the arguments it cannot honour, with why', () => {
    const settings = poolSettings({ ...POOL, lambda_config: { pre_sign_up: 'arn:aws:lambda:...' }, tags_all: { a: 'b' }, sms_configuration: { external_id: 'x' }, brand_new: true });

    expect(settings.unsupported).toEqual([
      'lambda_config: Lambda triggers do not run in the sandbox',
      'sms_configuration: cognito-local writes messages to its log instead of sending them',
      'brand_new: not translated for cognito-local',
    ]);
  });

  it('gives a pool without username attributes none, unlike cognito-local', () => {
    expect(poolSettings({ name: 'plain' }).input.UsernameAttributes).toEqual([]);
  });
});

describe('clientSettings', () => {
  it('translates the public app client', () => {
    const settings = clientSettings({
      name: 'orders-local-users-app',
      user_pool_id: 'local_abc',
      generate_secret: false,
      explicit_auth_flows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      prevent_user_existence_errors: 'ENABLED',
      enable_token_revocation: true,
      access_token_validity: 60,
      id_token_validity: 60,
      refresh_token_validity: 30,
      token_validity_units: [{ access_token: 'minutes', id_token: 'minutes', refresh_token: 'days' }],
      read_attributes: ['email', 'email_verified'],
      write_attributes: ['email'],
    });

    expect(settings.input).toMatchObject({
      ClientName: 'orders-local-users-app',
      UserPoolId: 'local_abc',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      ReadAttributes: ['email', 'email_verified'],
      WriteAttributes: ['email'],
    });
    expect(settings.unsupported).toEqual([]);
  });

  it("gives absent token lifetimes Cognito's defaults, not cognito-local's", () => {
    const { input } = clientSettings({ name: 'bare', user_pool_id: 'local_abc' });

    expect([input.AccessTokenValidity, input.IdTokenValidity, input.RefreshTokenValidity, input.TokenValidityUnits]).toEqual([
      1,
      1,
      30,
      { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
    ]);
  });
});

describe('groupSettings', () => {
  it('translates a group', () => {
    expect(groupSettings({ name: 'admin', user_pool_id: 'local_abc', description: 'Admins', precedence: 0 })).toEqual({
      input: { GroupName: 'admin', UserPoolId: 'local_abc', Description: 'Admins', Precedence: 0, RoleArn: undefined },
      unsupported: [],
    });
  });
});
