import type { SandboxService } from '../../core/service';
import type { GraphqlEngine } from './contracts';
import { attachRealtime, type RealtimeServer } from './realtime';
import { APPSYNC_ENGINE, APPSYNC_SERVERS, type AppSyncServers } from './service';

/** The real-time WebSocket endpoint on the AppSync service's HTTPS (wss) and HTTP (ws) servers. */
export function appSyncRealtimeService(options: { keepAliveMs?: number } = {}): SandboxService {
  const attached: RealtimeServer[] = [];
  let url = '';
  return {
    name: 'appsync-realtime',
    runs: [],
    after: ['appsync'],
    async start(context) {
      const engine = context.registry.require<GraphqlEngine>(APPSYNC_ENGINE);
      const servers = context.registry.require<AppSyncServers>(APPSYNC_SERVERS);
      const logger = context.logger('appsync-realtime');
      const path = new URL(servers.realtimeUrl).pathname;
      for (const server of [servers.https, servers.http]) {
        attached.push(attachRealtime(server, engine, { path, logger, keepAliveMs: options.keepAliveMs }));
      }
      url = servers.realtimeUrl;
    },
    async stop() {
      await Promise.all(attached.splice(0).map((server) => server.close()));
    },
    describe: () => [`AppSync real-time  ${url}  (graphql-ws; also ws:// on the HTTP port)`],
  };
}
