import type { AttributeProvider, PlatformModel } from '../model/platform-model';
import type { Logger } from './logger';

/**
 * One AWS service in the sandbox. A service names the Terraform resource types it runs, computes their
 * after-apply attributes, starts whatever emulates it, and offers capabilities to other services through
 * the registry (e.g. DynamoDB offers the AppSync data source for AMAZON_DYNAMODB). Adding a service
 * never touches the core.
 */
export interface SandboxService {
  /** Short name used in logs and the start-up report, e.g. `dynamodb`. */
  readonly name: string;
  /** Resource types this service runs. */
  readonly runs: readonly string[];
  /** Resource types that need nothing locally, each with why (e.g. IAM policies are not enforced). */
  readonly accepts?: Readonly<Record<string, string>>;
  /** After-apply attributes (arn, id, endpoints) of the types it runs. */
  readonly attributes?: Readonly<Record<string, AttributeProvider>>;
  /** Services that must start first. @default [] */
  readonly after?: readonly string[];
  /** Starts the emulation for the platform's resources of `runs`. */
  start(context: SandboxContext): Promise<void>;
  /** Stops every process and server it started; safe to call twice. */
  stop(): Promise<void>;
  /** Lines for the start-up banner: endpoints, ids, credentials. */
  describe?(): readonly string[];
}

/** What a running service can use. */
export interface SandboxContext {
  readonly model: PlatformModel;
  readonly registry: CapabilityRegistry;
  /** Folder for the service's persistent data (git-ignored). */
  dataDir(service: string): string;
  /** Drop all persisted data before starting (`npm start -- --reset`). */
  readonly reset: boolean;
  /** Host every server binds to. */
  readonly host: string;
  /** A free TCP port, or the preferred one when it is free. */
  port(preferred?: number): Promise<number>;
  logger(component: string): Logger;
}

/** Capabilities that services publish for each other, by key. */
export class CapabilityRegistry {
  private readonly capabilities = new Map<string, unknown>();

  /** Publishes a capability; publishing a key twice is a wiring bug. */
  provide<T>(key: string, capability: T): void {
    if (this.capabilities.has(key)) throw new Error(`Capability ${key} is provided twice`);
    this.capabilities.set(key, capability);
  }

  /** A published capability; a missing one names who should have provided it. */
  require<T>(key: string): T {
    if (!this.capabilities.has(key)) throw new Error(`No sandbox service provides ${key}`);
    return this.capabilities.get(key) as T;
  }

  /** A capability if some service provides it. */
  find<T>(key: string): T | undefined {
    return this.capabilities.get(key) as T | undefined;
  }
}
