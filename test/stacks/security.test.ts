import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { policyDocuments, synthPlatform } from './synth';

describe('secure defaults across every stack', () => {
  const environments = ['local', 'prod'];

  // Actions AWS offers no resource-level permission for: "*" is the narrowest resource there is.
  const RESOURCE_WILDCARD_ONLY = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);

  it.each(environments)('%s: every Allow names its actions, and its resources wherever AWS allows it (key policies aside)', (environment) => {
    const broad: string[] = [];
    let checked = 0;
    for (const [stackName, stack] of Object.entries(synthPlatform(environment))) {
      for (const [id, document] of Object.entries(policyDocuments(stack.doc))) {
        for (const statement of document.statement) {
          const principals = (statement.principals ?? []) as { type: string }[];
          const actions = statement.actions as string[];
          // A key policy's "*" resource means "this key"; a Deny of "*" (TLS-only policies) only narrows.
          const isKeyPolicy = actions.every((action) => action.startsWith('kms:')) && principals.length > 0;
          if (isKeyPolicy || statement.effect === 'Deny') continue;
          checked += 1;
          const where = `${stackName}/${id}/${String(statement.sid)}`;
          for (const action of actions.filter((action) => action.includes('*'))) broad.push(`${where}: action ${action}`);
          const resources = (statement.resources as string[] | undefined) ?? [];
          if (resources.includes('*') && !actions.every((action) => RESOURCE_WILDCARD_ONLY.has(action))) broad.push(`${where}: resource *`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broad).toEqual([]);
  });

  it.each(environments)('%s: every log group has a retention and a KMS key', (environment) => {
    for (const stack of Object.values(synthPlatform(environment))) {
      for (const group of Object.values(stack.doc.resource.aws_cloudwatch_log_group ?? {})) {
        expect(group.retention_in_days).toBeGreaterThan(0);
        expect(group.kms_key_id).toBeTruthy();
      }
    }
  });

  it('no source file imports the @cdktf/provider-aws barrel', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const barrel = /from\s+['"]@cdktf\/provider-aws['"]|require\(\s*['"]@cdktf\/provider-aws['"]\s*\)/;
    expect(files.filter((file) => barrel.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
