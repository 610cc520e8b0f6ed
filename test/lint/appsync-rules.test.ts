import appsync from '@aws-appsync/eslint-plugin';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
const fixtures = 'test/fixtures/lint/resolvers';

type LintMessage = { ruleId: string | null; line: number; message: string };
type LintReport = {
  results: { filePath: string; messages: LintMessage[] }[];
  configs: Record<string, { rules: Record<string, number>; projectService: boolean }>;
};

// One ESLint run for every case, so the TypeScript program behind the typed rules is built once.
function runEslint(args: string[]): LintReport {
  const stdout = execFileSync(process.execPath, [path.join(__dirname, 'run-eslint.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as LintReport;
}

const fixtureNames = [
  'Query.getOrder.ts',
  'Query.withTry.ts',
  'Query.withClass.ts',
  'Query.withLoopsAndAsync.ts',
  'Query.withRecursion.ts',
];

let report: LintReport;

beforeAll(() => {
  report = runEslint([
    '--config-for',
    'resolvers/Query.example.ts',
    '--config-for',
    'resolvers/lib/keys.ts',
    '--config-for',
    'stacks/lib/example.ts',
    ...fixtureNames.map((name) => `${fixtures}/${name}`),
  ]);
});

function ruleIdsFor(name: string): (string | null)[] {
  const result = report.results.find((r) => r.filePath === `${fixtures}/${name}`);
  if (!result) throw new Error(`no lint result for ${name}`);
  return result.messages.map((m) => m.ruleId);
}

describe('APPSYNC_JS rules', () => {
  const appsyncRuleIds = Object.keys(appsync.rules ?? {}).map((name) => `@aws-appsync/${name}`);

  test.each(['resolvers/Query.example.ts', 'resolvers/lib/keys.ts'])(
    'are all errors, with type information, for %s',
    (filePath) => {
      const config = report.configs[filePath];
      expect(appsyncRuleIds).toHaveLength(22);
      expect(appsyncRuleIds.filter((id) => config.rules[id] !== 2)).toEqual([]);
      expect(config.projectService).toBe(true);
    },
  );

  test('are off outside resolvers/', () => {
    const config = report.configs['stacks/lib/example.ts'];
    expect(Object.keys(config.rules).filter((id) => id.startsWith('@aws-appsync/'))).toEqual([]);
    expect(config.rules['@typescript-eslint/no-unused-vars']).toBe(2);
  });

  test('reject try/catch with no-try', () => {
    expect(ruleIdsFor('Query.withTry.ts')).toEqual(['@aws-appsync/no-try']);
  });

  test('reject a class with no-classes', () => {
    expect(ruleIdsFor('Query.withClass.ts')).toEqual(['@aws-appsync/no-classes']);
  });

  test('reject async, while and ++', () => {
    expect(ruleIdsFor('Query.withLoopsAndAsync.ts')).toEqual([
      '@aws-appsync/no-async',
      '@aws-appsync/no-while',
      '@aws-appsync/no-disallowed-unary-operators',
    ]);
  });

  test('reject recursion, which needs type information', () => {
    expect(ruleIdsFor('Query.withRecursion.ts')).toEqual(['@aws-appsync/no-recursion', '@aws-appsync/no-recursion']);
  });

  test('pass a valid resolver that imports util and exports request and response', () => {
    expect(ruleIdsFor('Query.getOrder.ts')).toEqual([]);
  });
});
