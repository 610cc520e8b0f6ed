import type { SandboxService } from '../../core/service';
import { dataSourceCapability } from '../appsync/data-source';
import { httpDataSource } from './http-data-source';

/** Provides AppSync's HTTP data source; it runs no resources of its own. */
export function httpDataSourceService(): SandboxService {
  return {
    name: 'http',
    runs: [],
    async start(context) {
      context.registry.provide(dataSourceCapability('HTTP'), (definition: Parameters<typeof httpDataSource>[0]) => httpDataSource(definition));
    },
    stop: async () => undefined,
  };
}
