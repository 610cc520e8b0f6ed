import type { SandboxService } from '../../core/service';
import type { ResourceRef } from '../../model/platform-model';

/**
 * Account-level resources the sandbox has nothing to run for. Each is accepted with the reason, so the
 * start-up report says what differs from AWS instead of staying silent.
 */
export const ACCEPTED_ACCOUNT_RESOURCES: Readonly<Record<string, string>> = {
  aws_iam_role: 'IAM is not enforced locally: services act with the sandbox credentials',
  aws_iam_role_policy: 'IAM is not enforced locally; synth tests check the policies instead',
  aws_iam_policy: 'IAM is not enforced locally; synth tests check the policies instead',
  aws_iam_role_policy_attachment: 'IAM is not enforced locally',
  aws_kms_key: 'data at rest is not encrypted locally; synth tests check every store names the key',
  aws_kms_alias: 'data at rest is not encrypted locally',
  aws_cloudwatch_log_group: 'logs go to the sandbox console, tagged with their source',
  aws_cloudwatch_metric_alarm: 'no metrics locally; alarms are checked by synth tests',
};

/** ARNs of account-level resources, so references to them resolve to AWS-shaped values. */
function accountArn(resource: ResourceRef, attribute: string, region: string, account: string, name: string): string | undefined {
  if (attribute !== 'arn') return undefined;
  switch (resource.type) {
    case 'aws_iam_role':
      return `arn:aws:iam::${account}:role/${name}`;
    case 'aws_iam_policy':
      return `arn:aws:iam::${account}:policy/${name}`;
    case 'aws_kms_key':
      return `arn:aws:kms:${region}:${account}:key/${resource.name}`;
    case 'aws_kms_alias':
      return `arn:aws:kms:${region}:${account}:${name}`;
    case 'aws_cloudwatch_log_group':
      return `arn:aws:logs:${region}:${account}:log-group:${name}`;
    default:
      return undefined;
  }
}

/** Accepts IAM, KMS and CloudWatch resources and gives their attributes local values. */
export function accountService(): SandboxService {
  const attributes = Object.fromEntries(
    Object.keys(ACCEPTED_ACCOUNT_RESOURCES).map((type) => [
      type,
      (resource: ResourceRef, attribute: string, model: { region: string; accountId: string; resolve(stack: string, value: unknown): unknown }) => {
        const name = resource.raw.name !== undefined ? String(model.resolve(resource.stack, resource.raw.name)) : resource.name;
        if (resource.type === 'aws_kms_key' && (attribute === 'key_id' || attribute === 'id')) return resource.name;
        return accountArn(resource, attribute, model.region, model.accountId, name);
      },
    ]),
  );
  return {
    name: 'account',
    runs: [],
    accepts: ACCEPTED_ACCOUNT_RESOURCES,
    attributes,
    start: async () => undefined,
    stop: async () => undefined,
  };
}
