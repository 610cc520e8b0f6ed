import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type { SandboxService } from '../../core/service';
import { APPSYNC_SERVERS, type AppSyncServers } from '../appsync/service';
import { COGNITO_ENDPOINT, COGNITO_POOLS, DEMO_USERS, type CognitoPools, type DemoUser } from '../cognito';

/** Where the console's sources live: `index.html`, `styles.css` and `src/main.ts`. */
export const CONSOLE_SOURCE = resolve('console');

/** What the console reads from `config.json` to find the sandbox. */
export interface ConsoleConfig {
  readonly graphqlUrl: string;
  readonly region: string;
  readonly cognitoEndpoint: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** Shown as sign-in hints; the sandbox prints them in its banner too. */
  readonly demoUsers: readonly DemoUser[];
}

/**
 * The web console at `/console/` on the AppSync servers: the page, its bundle (built at start with esbuild,
 * so it always matches the sources) and a `config.json` naming the sandbox's endpoints.
 */
export function consoleService(options: { source?: string } = {}): SandboxService {
  let url = '';
  return {
    name: 'console',
    runs: [],
    after: ['appsync', 'cognito'],
    async start(context) {
      const source = options.source ?? CONSOLE_SOURCE;
      const entry = join(source, 'src', 'main.ts');
      if (!existsSync(entry)) {
        context.logger('console').warn(`No console sources at ${entry}; the console is not served`);
        return;
      }
      const servers = context.registry.require<AppSyncServers>(APPSYNC_SERVERS);
      const pool = Object.values(context.registry.require<CognitoPools>(COGNITO_POOLS))[0];
      if (!pool) throw new Error('The console needs a Cognito user pool');
      const out = resolve(context.dataDir('console-build'));
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      buildSync({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(out, 'main.js'), minify: true, sourcemap: true, logLevel: 'warning', define: { global: 'globalThis' } });
      for (const file of ['index.html', 'styles.css']) if (existsSync(join(source, file))) cpSync(join(source, file), join(out, file));
      const config: ConsoleConfig = {
        graphqlUrl: servers.graphqlUrl,
        region: context.model.region,
        cognitoEndpoint: context.registry.require<string>(COGNITO_ENDPOINT),
        userPoolId: pool.id,
        userPoolClientId: pool.clientIds[0] as string,
        demoUsers: DEMO_USERS,
      };
      writeFileSync(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
      servers.server.addStaticRoute('/console', out);
      url = new URL('/console/', servers.graphqlUrl).toString();
    },
    stop: async () => undefined,
    describe: () => (url ? [`Web console        ${url}`] : []),
  };
}
