// `npm start`: synthesizes the platform, runs it in the local sandbox and prints how to reach it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CoverageLine } from './core/sandbox';
import { startSandbox, type RunningSandbox } from './start';

const USAGE = `Usage: npm start [-- --reset] [--no-synth]
  --reset       start from empty data (tables, users, orders); the demo users and products are seeded again
  --no-synth    run cdktf.out as it is instead of synthesizing the local environment first
Data persists in .sandbox/data between runs; Ctrl-C stops every process the sandbox started.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { reset: { type: 'boolean', default: false }, 'no-synth': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values['no-synth']) synthLocal();

  const started = Date.now();
  const sandbox = await startSandbox({ reset: values.reset });
  printBanner(sandbox, Date.now() - started);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the sandbox...\n`);
    await sandbox.stop().catch((error: Error) => process.stderr.write(`${error.message}\n`));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `cdktf synth` for the local environment, with a Terraform CLI config kept inside the project. */
function synthLocal(): void {
  const started = Date.now();
  const cliConfig = resolve('.build', 'sandbox.tfrc');
  mkdirSync(resolve('.build'), { recursive: true });
  writeFileSync(cliConfig, '# cdktf synth only asks terraform for its version; no providers are installed here.\n');
  const result = spawnSync('npx', ['--no', 'cdktf', 'synth'], {
    env: { ...process.env, PLATFORM_ENV: 'local', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: cliConfig, CI: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error('cdktf synth failed; nothing was started');
  }
  process.stderr.write(`synthesized the local environment into cdktf.out (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

function printBanner(sandbox: RunningSandbox, millis: number): void {
  const { endpoints } = sandbox;
  const lines = [
    '',
    `Sandbox up in ${(millis / 1000).toFixed(1)} s — driven by cdktf.out, no AWS account, no network.`,
    '',
    `  GraphQL (https)    ${endpoints.graphqlUrl}`,
    `  GraphQL (http)     ${endpoints.graphqlHttpUrl}`,
    `  WebSocket          ${endpoints.realtimeUrl}`,
    `  Web console        ${endpoints.consoleUrl}`,
    `  Cognito            ${endpoints.cognitoEndpoint}`,
    `  Region             ${endpoints.region}`,
    `  User pool id       ${endpoints.userPoolId}`,
    `  App client id      ${endpoints.userPoolClientId}`,
    `  CA certificate     ${endpoints.caCertPath}   (NODE_EXTRA_CA_CERTS=${endpoints.caCertPath})`,
    `  IAM (SigV4) key    ${endpoints.iam.accessKeyId} / ${endpoints.iam.secretAccessKey}`,
    `  EventBridge        ${endpoints.eventBridgeEndpoint}   (AWS_ENDPOINT_URL_EVENTBRIDGE)`,
    ...endpoints.restApis.flatMap((api) => [
      `  REST API ${api.name}`,
      ...api.urls.map((url) => `    ${url}`),
      ...api.apiKeys.map((key) => `    x-api-key: ${key.value}   (${key.name})`),
    ]),
    '',
    '  Demo users:',
    ...endpoints.demoUsers.map((user) => `    ${user.email.padEnd(20)} ${user.password}   (${user.groups.join(', ')})`),
    '',
    '  Services:',
    ...sandbox.description.map((line) => `    ${line}`),
    '',
    '  Resources:',
    ...coverageLines(sandbox.coverage),
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
}

function coverageLines(coverage: readonly CoverageLine[]): string[] {
  const width = Math.max(...coverage.map((line) => line.type.length));
  return coverage.map((line) => {
    const label = line.status === 'runs' ? `runs on ${line.detail}` : line.status === 'accepted' ? `accepted: ${line.detail}` : `NOT RUN: ${line.detail}`;
    return `    ${line.type.padEnd(width)} x${String(line.count).padEnd(3)} ${label}`;
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
