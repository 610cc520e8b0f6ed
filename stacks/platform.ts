import type { App } from 'cdktf';
import type { EnvironmentConfig } from '../config';
import { ApiStack } from './api-stack';
import { AuthStack } from './auth-stack';
import { DataStack } from './data-stack';
import { EventsStack } from './events-stack';

/** Every stack of one environment, split by concern so each plan stays small. */
export interface Platform {
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly events: EventsStack;
  readonly api: ApiStack;
}

/** Creates the platform's stacks for one environment. */
export function createPlatform(app: App, config: EnvironmentConfig): Platform {
  const data = new DataStack(app, 'data', { config });
  const auth = new AuthStack(app, 'auth', { config });
  const events = new EventsStack(app, 'events', { config });
  const api = new ApiStack(app, 'api', { config, data, auth, events });
  return { data, auth, events, api };
}
