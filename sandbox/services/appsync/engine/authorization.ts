// Field-level authorization as AppSync documents it for APIs with several auth modes:
// - the auth directives on a field decide for it; a field without any takes its type's directives;
//   a field whose type has none either falls back to the API's default mode;
// - once a field or its type names any mode, the default mode is no longer implied: it must be named too;
// - `cognito_groups` limits a Cognito directive to members of one of the groups (`@aws_auth` is the
//   older, Cognito-only form of the same);
// - a default Cognito mode with `default_action: DENY` admits Cognito callers only where a Cognito
//   directive lists one of their groups.
import type { DirectiveNode, GraphQLField, GraphQLObjectType } from 'graphql';
import type { AuthType } from '../../../../runtime/appsync';
import type { AuthMode, Caller } from '../contracts';
import type { AuthProvider } from './api-definition';

/** One way in: a mode, limited to some Cognito groups when `groups` is set. */
export interface AuthRule {
  readonly mode: AuthMode;
  readonly groups?: readonly string[];
}

const DIRECTIVE_MODES: Readonly<Record<string, AuthMode>> = {
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
  aws_api_key: 'API_KEY',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

/** What `util.authType()` answers for a caller of each mode. */
export const AUTH_TYPES: Readonly<Record<AuthMode, AuthType>> = {
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  AWS_IAM: 'IAM Authorization',
  API_KEY: 'API Key Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
};

function groupsArgument(directive: DirectiveNode): string[] | undefined {
  const argument = directive.arguments?.find((candidate) => candidate.name.value === 'cognito_groups');
  if (!argument) return undefined;
  const value = argument.value;
  if (value.kind === 'ListValue') return value.values.flatMap((item) => (item.kind === 'StringValue' ? [item.value] : []));
  return value.kind === 'StringValue' ? [value.value] : undefined;
}

/** The auth rules the directives of a schema element state, empty when it has none. */
export function directiveRules(directives: readonly DirectiveNode[]): AuthRule[] {
  return directives.flatMap((directive): AuthRule[] => {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (!mode) return [];
    const groups = mode === 'AMAZON_COGNITO_USER_POOLS' ? groupsArgument(directive) : undefined;
    return [groups ? { mode, groups } : { mode }];
  });
}

/** The Cognito groups of a caller's identity (AppSync sends `groups: null` for users in none). */
export function callerGroups(caller: Caller): string[] {
  const identity = (caller.identity ?? {}) as { groups?: unknown; claims?: Record<string, unknown> };
  const groups = identity.groups ?? identity.claims?.['cognito:groups'];
  return Array.isArray(groups) ? groups.map(String) : [];
}

/** Decides, per field, whether a caller may read it. */
export class FieldAuthorizer {
  private readonly cache = new Map<string, readonly AuthRule[]>();

  constructor(private readonly defaultAuth: AuthProvider) {}

  /** The rules that apply to `type.field` (its own directives, else its type's, else the default mode). */
  rules(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): readonly AuthRule[] {
    const key = `${type.name}.${field.name}`;
    let rules = this.cache.get(key);
    if (!rules) {
      const own = directiveRules(field.astNode?.directives ?? []);
      const inherited = directiveRules([type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []));
      rules = own.length > 0 ? own : inherited.length > 0 ? inherited : [{ mode: this.defaultAuth.mode }];
      this.cache.set(key, rules);
    }
    return rules;
  }

  /** Whether `caller` may read `type.field`. */
  allows(caller: Caller, type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): boolean {
    const denyUngrouped = this.defaultAuth.mode === 'AMAZON_COGNITO_USER_POOLS' && this.defaultAuth.userPool?.defaultAction === 'DENY';
    return this.rules(type, field).some((rule) => {
      if (rule.mode !== caller.mode) return false;
      if (rule.mode !== 'AMAZON_COGNITO_USER_POOLS') return true;
      if (!rule.groups) return !denyUngrouped;
      const groups = callerGroups(caller);
      return rule.groups.some((group) => groups.includes(group));
    });
  }
}
