import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { Logger } from '../../core/logger';

/** Options of {@link startCognitoLocal}. */
export interface CognitoLocalOptions {
  /** Working directory: cognito-local keeps its config and data in `.cognito/` under the cwd. */
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** Scheme, host and port that token `iss` claims start with (the public endpoint, not cognito-local's own). */
  readonly issuerDomain: string;
  readonly logger: Logger;
  /** How long to wait for `/health`. @default 20000 */
  readonly timeoutMs?: number;
}

/** A running cognito-local. */
export interface CognitoLocalProcess {
  readonly url: string;
  readonly pid: number;
  /** Ends the process (SIGTERM, then SIGKILL); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs the package's entry point after tying the child's life to the IPC channel: when the parent exits,
 * even by SIGKILL, the channel closes and the child ends, so no cognito-local outlives the sandbox.
 */
export const LAUNCHER = "process.on('disconnect', () => process.exit(0)); require(process.argv[1]);";

/** cognito-local's entry point. */
export const COGNITO_LOCAL_BIN = require.resolve('cognito-local/lib/bin/start.js');

/** Starts cognito-local as a child process in `dir` and waits until it answers. */
export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocalProcess> {
  const configDir = join(options.dir, '.cognito');
  mkdirSync(configDir, { recursive: true });
  // UserPoolDefaults: cognito-local otherwise makes every pool sign in with email.
  writeFileSync(
    join(configDir, 'config.json'),
    `${JSON.stringify({ TokenConfig: { IssuerDomain: options.issuerDomain }, UserPoolDefaults: { UsernameAttributes: [] } }, null, 2)}\n`,
  );
  const child = spawn(process.execPath, ['-e', LAUNCHER, COGNITO_LOCAL_BIN], {
    cwd: options.dir,
    env: { ...process.env, PORT: String(options.port), HOST: options.host, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // For people and tests checking that no cognito-local outlives its sandbox; removed when it exits.
  const pidFile = join(options.dir, 'cognito-local.pid');
  writeFileSync(pidFile, String(child.pid));
  const tail: string[] = [];
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      // pino-pretty colours its output whatever the terminal; the tail is for people and logs.
      const text = stripVTControlCharacters(line).trim();
      if (!text) continue;
      tail.push(text);
      if (tail.length > 40) tail.shift();
      // Requests it cannot serve ("unsupported feature") and its failures must not go unnoticed; its
      // WARN lines are the client errors it answers (wrong password, unknown user) and stay quiet.
      if (/\b(ERROR|FATAL)\b/.test(text)) options.logger.warn(text);
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
    child.once('error', (error) => resolve(error.message));
  });
  let running = true;
  void exited.then(() => {
    running = false;
    rmSync(pidFile, { force: true });
  });

  const stop = async () => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  const url = `http://${urlHost(options.host)}:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (running) {
    if (await healthy(url)) return { url, pid: child.pid as number, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cognito-local did not answer ${url}/health within ${options.timeoutMs ?? 20_000} ms. Its output:\n${tail.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`cognito-local exited (${await exited}) before answering. Its output:\n${tail.join('\n')}`);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** A host as it goes in a URL: wildcard binds are reached on localhost, IPv6 literals take brackets. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
