import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { documentClient } from '../lib/clients';
import { requireEnv } from '../lib/env';
import { beginWork, logger } from '../lib/logger';
import { recordProfile } from './profile';

const env = requireEnv(['TABLE_NAME']);
const deps = { client: documentClient(), tableName: env.TABLE_NAME };

/** Cognito post-confirmation trigger: records the customer's profile, then hands the event back as Cognito requires. */
export const handler = async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
  beginWork(event.request.userAttributes?.sub ?? event.userName);
  const profile = await recordProfile(event, deps);
  logger.info('Customer profile recorded', { sub: profile.sub, trigger: event.triggerSource });
  return event;
};
