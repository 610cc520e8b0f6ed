/**
 * Deploy-time names. Each `__ENV_<NAME>__` string is replaced when the resolver is bundled for
 * Terraform (see stacks/lib/resolver-bundle.ts): AppSync has no resolver environment in provider 5.100.
 */
export const ORDERS_TABLE = '__ENV_ORDERS_TABLE__';
