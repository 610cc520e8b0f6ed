import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { policyDocuments, synthPlatform } from './synth';

describe('secure defaults across every stack', () => {
  const environments = ['local', 'prod'];

  it.each(environments)('%s: IAM policies name their actions and resources (key policies aside)', (environment) => {
    for (const [stackName, stack] of Object.entries(synthPlatform(environment))) {
      for (const [id, document] of Object.entries(policyDocuments(stack.doc))) {
        for (const statement of document.statement) {
          const principals = (statement.principals ?? []) as { type: string }[];
          // A key policy's "*" resource means "this key": the only place a bare "*" is meaningful.
          const isKeyPolicy = (statement.actions as string[]).every((action) => action.startsWith('kms:')) && principals.length > 0;
          if (isKeyPolicy) continue;
          expect({ where: `${stackName}/${id}/${statement.sid}`, actions: (statement.actions as string[]).filter((action) => action.includes('*')) }).toEqual({
            where: `${stackName}/${id}/${statement.sid}`,
            actions: [],
          });
          expect((statement.resources as string[] | undefined) ?? []).not.toContain('*');
        }
      }
    }
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
