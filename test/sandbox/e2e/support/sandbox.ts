import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { loadEnvironment } from '../../../../config';
import type { LogSink } from '../../../../sandbox/core/logger';
import { freePort } from '../../../../sandbox/core/sandbox';
import { startSandbox, type RunningSandbox, type SandboxEndpoints } from '../../../../sandbox/start';
import { createPlatform } from '../../../../stacks/platform';
import { isAlive } from '../../../../sandbox/core/processes';

const HOST = '127.0.0.1';

/** Every port `startSandbox` takes: all picked by the OS, so no service falls back to a default another file may hold. */
const PORTS = ['httpsPort', 'httpPort', 'cognitoPort', 'dynamoDbPort', 'eventBridgePort', 'messagingPort', 'sesPort', 'apiGatewayPort'] as const;

/** The processes a sandbox runs outside this one, by the pid files their services keep in the data folder. */
const CHILD_PID_FILES = { 'DynamoDB Local': join('dynamodb', 'dynamodb-local.pid'), 'cognito-local': join('cognito', 'cognito-local.pid') };

/**
 * A sandbox owned by one test file: the local environment synthesized into a temp folder, every service on
 * ports the OS picked (so files run in parallel with each other and with `npm start`), data and certificates
 * in the same temp folder, and its log kept in memory (printed only when a start fails).
 */
export class SandboxUnderTest {
  readonly log: string[] = [];
  private running?: RunningSandbox;
  private children: Record<string, number> = {};
  private readonly logWatchers = new Set<(line: string) => void>();

  private constructor(
    private readonly root: string,
    private readonly ports: Readonly<Record<(typeof PORTS)[number], number>>,
  ) {}

  /** Synthesizes the local environment in-process (as `cdktf synth` does) and starts the sandbox on it from empty data. */
  static async start(): Promise<SandboxUnderTest> {
    // As `npm start` does: the SDK's Node 20 deprecation notice is noise for a local tool pinned to SDKs that support it.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const root = mkdtempSync(join(tmpdir(), 'sandbox-e2e-'));
    const app = new App({ outdir: join(root, 'cdktf.out') });
    createPlatform(app, loadEnvironment('local'));
    app.synth();
    const ports = {} as Record<(typeof PORTS)[number], number>;
    for (const name of PORTS) ports[name] = await freePort(HOST);
    const sandbox = new SandboxUnderTest(root, ports);
    try {
      await sandbox.boot(true);
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
    return sandbox;
  }

  /** What `npm start` prints: endpoints, CA, pool and client ids, the IAM key pair, the demo users. */
  get endpoints(): SandboxEndpoints {
    if (!this.running) throw new Error('The sandbox is not running');
    return this.running.endpoints;
  }

  /** A capability a service published (an inspector, an endpoint), by its registry key; a missing one throws naming it. */
  capability<T>(key: string): T {
    if (!this.running) throw new Error('The sandbox is not running');
    return this.running.registry.require<T>(key);
  }

  /**
   * The first log line (already written or still to come) that `match` accepts, e.g. a function's structured log
   * line (`[lambda:<name>] {...}`): how a test learns that work it cannot see from outside has finished.
   */
  waitForLog(match: RegExp | ((line: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const accepts = typeof match === 'function' ? match : (line: string) => match.test(line);
    const found = this.log.find(accepts);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const watcher = (line: string) => {
        if (!accepts(line)) return;
        finish();
        resolve(line);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`No sandbox log line matched ${String(match)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.logWatchers.delete(watcher);
      };
      this.logWatchers.add(watcher);
    });
  }

  /** The CA certificate the HTTPS and WSS endpoints chain to. */
  get ca(): string {
    return readFileSync(this.endpoints.caCertPath, 'utf8');
  }

  /** Stops every service and checks that neither DynamoDB Local (java) nor cognito-local outlived it. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await running.stop();
    const survivors = Object.entries(this.children).filter(([, pid]) => isAlive(pid));
    const leftChildren = childProcesses().filter((line) => /java|cognito-local/.test(line));
    if (survivors.length > 0 || leftChildren.length > 0) {
      throw new Error(`Processes outlived the sandbox: ${[...survivors.map(([name, pid]) => `${name} (pid ${pid})`), ...leftChildren].join('; ')}`);
    }
  }

  /** Stops and starts again over the same data (`reset: false`, like `npm start` without `--reset`) and ports. */
  async restart(): Promise<void> {
    await this.stop();
    await this.boot(false);
  }

  /** Stops the sandbox and deletes its synthesized platform, data and certificates. */
  async dispose(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.root, { recursive: true, force: true });
    }
  }

  private async boot(reset: boolean): Promise<void> {
    const sink: LogSink = ({ level, component, message, fields }) => {
      const line = `${level} [${component}] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`;
      this.log.push(line);
      for (const watcher of [...this.logWatchers]) watcher(line);
    };
    const dataRoot = join(this.root, 'data');
    try {
      this.running = await startSandbox({ outdir: join(this.root, 'cdktf.out'), reset, dataRoot, certDir: join(this.root, 'certs'), ...this.ports, sink });
    } catch (error) {
      throw new Error(`${(error as Error).message}\nSandbox log:\n${this.log.join('\n')}`, { cause: error });
    }
    this.children = {};
    for (const [name, file] of Object.entries(CHILD_PID_FILES)) {
      const path = join(dataRoot, file);
      if (existsSync(path)) this.children[name] = Number(readFileSync(path, 'utf8'));
    }
    if (Object.keys(this.children).length !== 2) throw new Error(`Expected the pid files of DynamoDB Local and cognito-local, found ${JSON.stringify(this.children)}`);
  }
}

/** `pid command` of every process this test process started and that still runs. */
function childProcesses(): string[] {
  try {
    return execFileSync('ps', ['-ww', '-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n').filter((line) => line.trim() !== '');
  } catch {
    // ps exits 1 when no process matches.
    return [];
  }
}
