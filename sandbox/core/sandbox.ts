import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { PlatformModel } from '../model/platform-model';
import { consoleSink, createLogger, type LogSink } from './logger';
import { CapabilityRegistry, type SandboxContext, type SandboxService } from './service';

/** Options of a sandbox run. */
export interface SandboxOptions {
  readonly model: PlatformModel;
  readonly services: readonly SandboxService[];
  /** Root of persisted data. @default '.sandbox/data' */
  readonly dataRoot?: string;
  /** Start from empty data. @default false */
  readonly reset?: boolean;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default prints to stderr */
  readonly sink?: LogSink;
}

/** How the sandbox treats one resource type of the platform. */
export interface CoverageLine {
  readonly type: string;
  readonly count: number;
  readonly status: 'runs' | 'accepted' | 'unsupported';
  /** The service that runs it, or why it needs nothing locally, or why it cannot run. */
  readonly detail: string;
}

/** Starts services in dependency order over one synthesized platform and stops them in reverse. */
export class Sandbox {
  readonly registry = new CapabilityRegistry();
  private readonly started: SandboxService[] = [];
  private readonly ordered: SandboxService[];

  constructor(private readonly options: SandboxOptions) {
    this.ordered = orderServices(options.services);
    for (const service of this.ordered) {
      for (const [type, provider] of Object.entries(service.attributes ?? {})) options.model.registerAttributes(type, provider);
    }
  }

  /** Every resource type of the platform and what the sandbox does with it; nothing is silently skipped. */
  coverage(): CoverageLine[] {
    const counts = new Map<string, number>();
    for (const resource of this.options.model.resources()) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => {
      const runner = this.ordered.find((service) => service.runs.includes(type));
      if (runner) return { type, count, status: 'runs', detail: runner.name };
      const acceptor = this.ordered.find((service) => service.accepts && type in service.accepts);
      if (acceptor) return { type, count, status: 'accepted', detail: acceptor.accepts?.[type] as string };
      return { type, count, status: 'unsupported', detail: 'no sandbox service emulates this resource type yet' };
    });
  }

  /** Starts every service; if one fails, the ones already started are stopped before the error is thrown. */
  async start(): Promise<void> {
    const sink = this.options.sink ?? consoleSink;
    const dataRoot = this.options.dataRoot ?? join('.sandbox', 'data');
    const host = this.options.host ?? '127.0.0.1';
    const context: SandboxContext = {
      model: this.options.model,
      registry: this.registry,
      reset: this.options.reset ?? false,
      host,
      dataDir: (service) => {
        const dir = join(dataRoot, service);
        if (this.options.reset) rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        return dir;
      },
      port: (preferred) => freePort(host, preferred),
      logger: (component) => createLogger(component, sink),
    };
    for (const service of this.ordered) {
      try {
        await service.start(context);
        this.started.push(service);
      } catch (error) {
        await this.stop();
        throw new Error(`Sandbox service ${service.name} failed to start: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  /** Stops what was started, newest first; every service gets its stop even if another's fails. */
  async stop(): Promise<void> {
    const failures: string[] = [];
    while (this.started.length > 0) {
      const service = this.started.pop() as SandboxService;
      await service.stop().catch((error: Error) => failures.push(`${service.name}: ${error.message}`));
    }
    if (failures.length > 0) throw new Error(`Some sandbox services did not stop cleanly:\n- ${failures.join('\n- ')}`);
  }

  /** The banner lines of every started service. */
  describe(): string[] {
    return this.started.flatMap((service) => service.describe?.() ?? []);
  }
}

function orderServices(services: readonly SandboxService[]): SandboxService[] {
  const byName = new Map(services.map((service) => [service.name, service]));
  const ordered: SandboxService[] = [];
  const visit = (service: SandboxService, trail: string[]) => {
    if (ordered.includes(service)) return;
    if (trail.includes(service.name)) throw new Error(`Sandbox service cycle: ${[...trail, service.name].join(' -> ')}`);
    for (const name of service.after ?? []) {
      const dependency = byName.get(name);
      if (!dependency) throw new Error(`Sandbox service ${service.name} starts after ${name}, which is not registered`);
      visit(dependency, [...trail, service.name]);
    }
    ordered.push(service);
  };
  for (const service of services) visit(service, []);
  return ordered;
}

/** The preferred port when it is free, otherwise one the OS picks. */
export async function freePort(host: string, preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, host, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  if (preferred) {
    const port = await tryPort(preferred);
    if (port) return port;
  }
  const port = await tryPort(0);
  if (!port) throw new Error(`No free port on ${host}`);
  return port;
}
