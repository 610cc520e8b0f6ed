import type {
  CreateGroupCommandInput,
  CreateUserPoolClientCommandInput,
  CreateUserPoolCommandInput,
  SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';

/** Resolved Terraform arguments of one resource. */
type Args = Readonly<Record<string, unknown>>;

/** The Cognito API input for one resource, and the arguments the sandbox cannot honour. */
export interface Translation<T> {
  readonly input: T;
  /** `argument: why`, one per synthesized argument that has no local effect worth knowing about. */
  readonly unsupported: readonly string[];
}

/** Meta-arguments and settings with no local meaning that nobody needs to be told about. */
const SILENT = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'tags_all', 'deletion_protection', 'region']);

const POOL_UNSUPPORTED: Readonly<Record<string, string>> = {
  lambda_config: 'Lambda triggers do not run in the sandbox',
  email_configuration: 'cognito-local writes messages to its log instead of sending them',
  sms_configuration: 'cognito-local writes messages to its log instead of sending them',
  user_pool_add_ons: 'advanced security (threat protection) is not emulated',
  email_mfa_configuration: 'cognito-local has no email MFA',
  sign_in_policy: 'cognito-local has no choice-based sign-in',
  web_authn_configuration: 'cognito-local has no passkeys',
  user_pool_tier: 'feature plans are not emulated',
};

const CLIENT_UNSUPPORTED: Readonly<Record<string, string>> = {
  analytics_configuration: 'Pinpoint analytics is not emulated',
  auth_session_validity: 'cognito-local does not expire sign-in sessions',
  enable_propagate_additional_user_context_data: 'advanced security is not emulated',
  refresh_token_rotation: 'cognito-local does not rotate refresh tokens',
};

/** The pool's CreateUserPool input, and its TOTP setting, which Cognito only takes through SetUserPoolMfaConfig. */
export function poolSettings(args: Args): Translation<CreateUserPoolCommandInput> & { readonly mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'> } {
  const policy = block(args.password_policy);
  const recovery = block(args.account_recovery_setting);
  const adminCreate = block(args.admin_create_user_config);
  const usernameConfig = block(args.username_configuration);
  const template = block(args.verification_message_template);
  const device = block(args.device_configuration);
  const attributeUpdate = block(args.user_attribute_update_settings);
  const input: CreateUserPoolCommandInput = {
    PoolName: String(args.name),
    // cognito-local would default a pool without username attributes to email sign-in; Cognito does not.
    UsernameAttributes: strings<'email' | 'phone_number'>(args.username_attributes) ?? [],
    AliasAttributes: strings<'email' | 'phone_number' | 'preferred_username'>(args.alias_attributes),
    AutoVerifiedAttributes: strings<'email' | 'phone_number'>(args.auto_verified_attributes),
    UsernameConfiguration: usernameConfig && { CaseSensitive: Boolean(usernameConfig.case_sensitive) },
    MfaConfiguration: args.mfa_configuration as CreateUserPoolCommandInput['MfaConfiguration'],
    Policies: policy && {
      PasswordPolicy: {
        MinimumLength: number(policy.minimum_length),
        RequireLowercase: bool(policy.require_lowercase),
        RequireUppercase: bool(policy.require_uppercase),
        RequireNumbers: bool(policy.require_numbers),
        RequireSymbols: bool(policy.require_symbols),
        TemporaryPasswordValidityDays: number(policy.temporary_password_validity_days),
        PasswordHistorySize: number(policy.password_history_size),
      },
    },
    AccountRecoverySetting: recovery && {
      RecoveryMechanisms: blocks(recovery.recovery_mechanism).map((mechanism) => ({
        Name: mechanism.name as 'verified_email' | 'verified_phone_number' | 'admin_only',
        Priority: Number(mechanism.priority),
      })),
    },
    AdminCreateUserConfig: adminCreate && { AllowAdminCreateUserOnly: bool(adminCreate.allow_admin_create_user_only) },
    Schema: blocks(args.schema).map((attribute) => {
      const text = block(attribute.string_attribute_constraints);
      const numeric = block(attribute.number_attribute_constraints);
      return {
        Name: String(attribute.name),
        AttributeDataType: attribute.attribute_data_type as 'String' | 'Number' | 'DateTime' | 'Boolean',
        DeveloperOnlyAttribute: bool(attribute.developer_only_attribute),
        Mutable: bool(attribute.mutable),
        Required: bool(attribute.required),
        StringAttributeConstraints: text && { MinLength: optionalString(text.min_length), MaxLength: optionalString(text.max_length) },
        NumberAttributeConstraints: numeric && { MinValue: optionalString(numeric.min_value), MaxValue: optionalString(numeric.max_value) },
      };
    }),
    EmailVerificationMessage: optionalString(args.email_verification_message),
    EmailVerificationSubject: optionalString(args.email_verification_subject),
    SmsAuthenticationMessage: optionalString(args.sms_authentication_message),
    SmsVerificationMessage: optionalString(args.sms_verification_message),
    VerificationMessageTemplate: template && {
      DefaultEmailOption: template.default_email_option as 'CONFIRM_WITH_LINK' | 'CONFIRM_WITH_CODE' | undefined,
      EmailMessage: optionalString(template.email_message),
      EmailMessageByLink: optionalString(template.email_message_by_link),
      EmailSubject: optionalString(template.email_subject),
      EmailSubjectByLink: optionalString(template.email_subject_by_link),
      SmsMessage: optionalString(template.sms_message),
    },
    DeviceConfiguration: device && {
      ChallengeRequiredOnNewDevice: bool(device.challenge_required_on_new_device),
      DeviceOnlyRememberedOnUserPrompt: bool(device.device_only_remembered_on_user_prompt),
    },
    UserAttributeUpdateSettings: attributeUpdate && {
      AttributesRequireVerificationBeforeUpdate: strings<'email' | 'phone_number'>(attributeUpdate.attributes_require_verification_before_update),
    },
    UserPoolTags: args.tags as Record<string, string> | undefined,
  };
  const totp = block(args.software_token_mfa_configuration);
  return {
    input,
    mfa: {
      MfaConfiguration: input.MfaConfiguration,
      SoftwareTokenMfaConfiguration: totp && { Enabled: bool(totp.enabled) },
    },
    unsupported: unsupported(args, POOL_KEYS, POOL_UNSUPPORTED),
  };
}

const POOL_KEYS = new Set([
  'name',
  'username_attributes',
  'alias_attributes',
  'auto_verified_attributes',
  'username_configuration',
  'mfa_configuration',
  'software_token_mfa_configuration',
  'password_policy',
  'account_recovery_setting',
  'admin_create_user_config',
  'schema',
  'email_verification_message',
  'email_verification_subject',
  'sms_authentication_message',
  'sms_verification_message',
  'verification_message_template',
  'device_configuration',
  'user_attribute_update_settings',
  'tags',
]);

/**
 * The client's CreateUserPoolClient input. Token lifetimes absent from the synthesized client take
 * Cognito's defaults (1 hour, 1 hour, 30 days) explicitly: cognito-local's own defaults differ (24 h).
 */
export function clientSettings(args: Args): Translation<CreateUserPoolClientCommandInput> {
  const units = block(args.token_validity_units) ?? {};
  const validity = (value: unknown, unit: unknown, fallback: [number, 'hours' | 'days']) =>
    value === undefined || value === null ? fallback : ([Number(value), (unit ?? fallback[1]) as 'seconds' | 'minutes' | 'hours' | 'days'] as const);
  const [access, accessUnit] = validity(args.access_token_validity, units.access_token, [1, 'hours']);
  const [id, idUnit] = validity(args.id_token_validity, units.id_token, [1, 'hours']);
  const [refresh, refreshUnit] = validity(args.refresh_token_validity, units.refresh_token, [30, 'days']);
  const input: CreateUserPoolClientCommandInput = {
    ClientName: String(args.name),
    UserPoolId: String(args.user_pool_id),
    GenerateSecret: bool(args.generate_secret),
    ExplicitAuthFlows: strings(args.explicit_auth_flows) as CreateUserPoolClientCommandInput['ExplicitAuthFlows'],
    AccessTokenValidity: access,
    IdTokenValidity: id,
    RefreshTokenValidity: refresh,
    TokenValidityUnits: { AccessToken: accessUnit, IdToken: idUnit, RefreshToken: refreshUnit },
    PreventUserExistenceErrors: args.prevent_user_existence_errors as 'ENABLED' | 'LEGACY' | undefined,
    EnableTokenRevocation: bool(args.enable_token_revocation),
    ReadAttributes: strings(args.read_attributes),
    WriteAttributes: strings(args.write_attributes),
    AllowedOAuthFlows: strings(args.allowed_oauth_flows) as CreateUserPoolClientCommandInput['AllowedOAuthFlows'],
    AllowedOAuthFlowsUserPoolClient: bool(args.allowed_oauth_flows_user_pool_client),
    AllowedOAuthScopes: strings(args.allowed_oauth_scopes),
    CallbackURLs: strings(args.callback_urls),
    LogoutURLs: strings(args.logout_urls),
    DefaultRedirectURI: optionalString(args.default_redirect_uri),
    SupportedIdentityProviders: strings(args.supported_identity_providers),
  };
  return { input, unsupported: unsupported(args, CLIENT_KEYS, CLIENT_UNSUPPORTED) };
}

const CLIENT_KEYS = new Set([
  'name',
  'user_pool_id',
  'generate_secret',
  'explicit_auth_flows',
  'access_token_validity',
  'id_token_validity',
  'refresh_token_validity',
  'token_validity_units',
  'prevent_user_existence_errors',
  'enable_token_revocation',
  'read_attributes',
  'write_attributes',
  'allowed_oauth_flows',
  'allowed_oauth_flows_user_pool_client',
  'allowed_oauth_scopes',
  'callback_urls',
  'logout_urls',
  'default_redirect_uri',
  'supported_identity_providers',
]);

/** The group's CreateGroup input. */
export function groupSettings(args: Args): Translation<CreateGroupCommandInput> {
  return {
    input: {
      GroupName: String(args.name),
      UserPoolId: String(args.user_pool_id),
      Description: optionalString(args.description),
      Precedence: number(args.precedence),
      RoleArn: optionalString(args.role_arn),
    },
    unsupported: unsupported(args, new Set(['name', 'user_pool_id', 'description', 'precedence', 'role_arn']), {}),
  };
}

function unsupported(args: Args, translated: ReadonlySet<string>, reasons: Readonly<Record<string, string>>): string[] {
  return Object.keys(args)
    .filter((key) => args[key] !== undefined && args[key] !== null && !translated.has(key) && !SILENT.has(key))
    .map((key) => `${key}: ${reasons[key] ?? 'not translated for cognito-local'}`);
}

/** A nested block: cdktf synthesizes single blocks as an object or as a one-element list. */
function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

/** A list argument; `T` narrows it to the SDK's enum of allowed values, which Terraform validated at plan time. */
function strings<T extends string = string>(value: unknown): T[] | undefined {
  return Array.isArray(value) ? (value.map(String) as T[]) : undefined;
}

function number(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}

function bool(value: unknown): boolean | undefined {
  return value === undefined || value === null ? undefined : value === true || value === 'true';
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
