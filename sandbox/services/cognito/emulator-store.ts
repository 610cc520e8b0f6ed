import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An app client as cognito-local stores it. */
export interface StoredClient {
  readonly ClientId: string;
  readonly UserPoolId: string;
  readonly ExplicitAuthFlows?: readonly string[];
}

/** A user as cognito-local stores it; it keeps the password in clear. */
export interface StoredUser {
  readonly Username: string;
  readonly Password: string;
  readonly Attributes: readonly { Name: string; Value?: string }[];
}

interface PoolFile {
  Users?: Record<string, StoredUser>;
  Options?: { UsernameAttributes?: string[] };
}

/**
 * Read-only view of cognito-local's data files (`.cognito/db/clients.json`, `.cognito/db/<poolId>.json`,
 * format of cognito-local 5.x), for what its API does not expose: the password SRP needs, and a client's
 * auth flows before a request reaches it. cognito-local writes each change before it answers, so a
 * read after an API call sees it.
 */
export class EmulatorStore {
  private readonly dbDir: string;

  constructor(dir: string) {
    this.dbDir = join(dir, '.cognito', 'db');
  }

  /** An app client by id. */
  client(clientId: string): StoredClient | undefined {
    return this.read<{ Clients?: Record<string, StoredClient> }>('clients')?.Clients?.[clientId];
  }

  /** A user found as cognito-local finds one: by username, `sub`, or the email or phone number the pool signs in with. */
  user(poolId: string, username: string): StoredUser | undefined {
    const pool = this.read<PoolFile>(poolId);
    const users = pool?.Users ?? {};
    if (Object.hasOwn(users, username)) return users[username];
    const keys = ['sub', ...(pool?.Options?.UsernameAttributes ?? [])];
    return Object.values(users).find((user) => user.Attributes.some((attribute) => keys.includes(attribute.Name) && attribute.Value === username));
  }

  private read<T>(name: string): T | undefined {
    // Pool ids come from requests: never let one name a file outside the data directory.
    if (!/^[\w-]+$/.test(name)) return undefined;
    const file = join(this.dbDir, `${name}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
  }
}
