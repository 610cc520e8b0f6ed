// Runs ESLint's Node API in a plain node process and prints a JSON report. Jest evaluates
// tests in a vm without --experimental-vm-modules, where ESLint cannot import() the
// project's eslint.config.mjs, so test/lint spawns this instead.
//
// Usage: node test/lint/run-eslint.mjs [--config-for <path>]... <file>...
// Paths are relative to the working directory; global ignores are switched off so the
// deliberately invalid fixtures under test/fixtures/lint/ can be linted.
import { ESLint } from 'eslint';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { 'config-for': { type: 'string', multiple: true, default: [] } },
  allowPositionals: true,
});

const eslint = new ESLint({ cwd: process.cwd(), ignore: false });

const results = positionals.length === 0 ? [] : await eslint.lintFiles(positionals);

const configs = {};
for (const filePath of values['config-for']) {
  const config = await eslint.calculateConfigForFile(filePath);
  configs[filePath] = {
    rules: Object.fromEntries(
      Object.entries(config?.rules ?? {}).map(([id, entry]) => [id, Array.isArray(entry) ? entry[0] : entry]),
    ),
    projectService: config?.languageOptions?.parserOptions?.projectService ?? false,
  };
}

process.stdout.write(
  JSON.stringify({
    results: results.map((result) => ({
      filePath: relative(process.cwd(), result.filePath),
      messages: result.messages.map(({ ruleId, line, message }) => ({ ruleId, line, message })),
    })),
    configs,
  }),
);
