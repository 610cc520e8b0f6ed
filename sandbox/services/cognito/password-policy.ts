/** A user pool's password policy, with Cognito's defaults filled in. */
export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

/** The characters Cognito counts as symbols. */
const SYMBOLS = `^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+- `;

/** The policy of a resolved `aws_cognito_user_pool` (`password_policy` block); absent settings take Cognito's defaults. */
export function passwordPolicyOf(pool: Readonly<Record<string, unknown>>): PasswordPolicy {
  const raw = pool.password_policy;
  const block = ((Array.isArray(raw) ? raw[0] : raw) ?? {}) as Record<string, unknown>;
  return {
    minimumLength: Number(block.minimum_length ?? 8),
    requireLowercase: Boolean(block.require_lowercase ?? true),
    requireUppercase: Boolean(block.require_uppercase ?? true),
    requireNumbers: Boolean(block.require_numbers ?? true),
    requireSymbols: Boolean(block.require_symbols ?? true),
  };
}

/** What a password lacks under a policy; empty when it complies. cognito-local does not enforce policies, so callers check. */
export function passwordProblems(policy: PasswordPolicy, password: string): string[] {
  const problems: string[] = [];
  if (password.length < policy.minimumLength) problems.push(`is shorter than ${policy.minimumLength} characters`);
  if (policy.requireLowercase && !/[a-z]/.test(password)) problems.push('has no lowercase letter');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) problems.push('has no uppercase letter');
  if (policy.requireNumbers && !/[0-9]/.test(password)) problems.push('has no number');
  if (policy.requireSymbols && ![...password.trim()].some((character) => SYMBOLS.includes(character))) problems.push('has no symbol');
  return problems;
}
