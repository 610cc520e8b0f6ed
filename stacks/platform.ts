import type { App } from 'cdktf';
import type { EnvironmentConfig } from '../config';
import { ApiStack } from './api-stack';
import { AuthStack } from './auth-stack';
import { ChoreographyStack } from './choreography-stack';
import { DataStack } from './data-stack';
import { EventsStack } from './events-stack';
import { IntakeStack } from './intake-stack';
import { MediaStack } from './media-stack';
import { NotificationsStack } from './notifications-stack';

/** Every stack of one environment, split by concern so each plan stays small. */
export interface Platform {
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly events: EventsStack;
  readonly api: ApiStack;
  readonly choreography: ChoreographyStack;
  readonly notifications: NotificationsStack;
  readonly intake: IntakeStack;
  readonly media: MediaStack;
}

/** Creates the platform's stacks for one environment; dependencies run data → events → api → consumers. */
export function createPlatform(app: App, config: EnvironmentConfig): Platform {
  const data = new DataStack(app, 'data', { config });
  const auth = new AuthStack(app, 'auth', { config, data });
  const events = new EventsStack(app, 'events', { config, data });
  const api = new ApiStack(app, 'api', { config, data, auth, events });
  const choreography = new ChoreographyStack(app, 'choreography', { config, data, events, api });
  const notifications = new NotificationsStack(app, 'notifications', { config, data, events });
  const intake = new IntakeStack(app, 'intake', { config, data, events });
  const media = new MediaStack(app, 'media', { config, data, events });
  return { data, auth, events, api, choreography, notifications, intake, media };
}
