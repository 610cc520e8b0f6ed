import { ref, statementsOf } from './constructs/harness';
import { resourcesOf, synthPlatform, type StackName, type SynthesizedStack } from './synth';

/** How another stack reads `attribute` of the resource at `path` in `producer`: through the producer's remote state. */
export function fromStack(producer: StackName, type: string, path: string, attribute: string, environment = 'local'): string {
  const { doc } = synthPlatform(environment)[producer];
  const value = ref(doc, type, path, attribute);
  const outputs = Object.entries(doc.output ?? {}).filter(([name, output]) => name.startsWith('cross-stack-output-') && output.value === value);
  if (outputs.length !== 1) throw new Error(`the ${producer} stack does not export ${value}`);
  return `\${data.terraform_remote_state.cross-stack-reference-input-${producer}.outputs.${outputs[0]?.[0]}}`;
}

/** The inline policies of the role at `rolePath`, by name, as their statements. */
export function policiesOf(stack: SynthesizedStack, rolePath: string): Record<string, Record<string, unknown>[]> {
  const roleId = ref(stack.doc, 'aws_iam_role', rolePath, 'id');
  const policies = resourcesOf(stack.doc, 'aws_iam_role_policy').filter((policy) => policy.role === roleId);
  return Object.fromEntries(policies.map((policy) => [String(policy.name), statementsOf(stack.doc, policy.policy)]));
}

/** The statements `tableReadWrite` + `keyUseViaService('dynamodb')` grant on the orders table, as the stacks synthesize them. */
export function ordersTableAccess(tableArn: string, keyArn: string): Record<string, unknown>[] {
  return [
    {
      sid: 'OrdersTableRead',
      effect: 'Allow',
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
      resources: [tableArn, `${tableArn}/index/*`],
    },
    { sid: 'OrdersTableWrite', effect: 'Allow', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'], resources: [tableArn] },
    {
      sid: 'OrdersTableKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [keyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['dynamodb.us-east-1.amazonaws.com'] }],
    },
  ];
}
