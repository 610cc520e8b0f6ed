import { dev } from './dev';
import { local } from './local';
import { prod } from './prod';
import type { EnvironmentConfig } from './types';

export type { BackendConfig, EnvironmentConfig, MessagingConfig, MfaMode, PartnerApiConfig } from './types';

/** Every environment the platform knows, by name. */
export const environments: Readonly<Record<string, EnvironmentConfig>> = { local, dev, prod };

/** The environment used when neither `PLATFORM_ENV` nor the `env` context names one. */
export const DEFAULT_ENVIRONMENT = 'local';

/** Returns the named environment's config; an unknown name throws listing the known ones. */
export function loadEnvironment(name: string = DEFAULT_ENVIRONMENT): EnvironmentConfig {
  const config = Object.prototype.hasOwnProperty.call(environments, name) ? environments[name] : undefined;
  if (!config) {
    const known = Object.keys(environments).join(', ');
    throw new Error(`Unknown environment "${name}": known environments are ${known}`);
  }
  validateEnvironment(config);
  return config;
}

/** Checks a config's values up front, reporting every problem at once. */
export function validateEnvironment(config: EnvironmentConfig): void {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{1,15}$/.test(config.prefix)) {
    problems.push('prefix must be 2-16 lowercase letters, digits or dashes, starting with a letter');
  }
  if (!/^[a-z][a-z0-9]{1,9}$/.test(config.name)) {
    problems.push('name must be 2-10 lowercase letters or digits, starting with a letter');
  }
  if (!/^\d{12}$/.test(config.accountId)) problems.push('accountId must be 12 digits');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region)) problems.push(`region "${config.region}" is not an AWS region name`);
  const retentions = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
  if (!retentions.includes(config.logRetentionDays)) {
    problems.push(`logRetentionDays must be one of CloudWatch's values (${retentions.join(', ')})`);
  }
  if (config.kmsDeletionWindowDays < 7 || config.kmsDeletionWindowDays > 30) {
    problems.push('kmsDeletionWindowDays must be between 7 and 30');
  }
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.alarmEmail)) problems.push('alarmEmail must be an email address');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.emailFrom)) problems.push('emailFrom must be an email address');
  const messaging = config.messaging;
  if (!Number.isInteger(messaging.maxReceiveCount) || messaging.maxReceiveCount < 1 || messaging.maxReceiveCount > 1000) {
    problems.push('messaging.maxReceiveCount must be an integer from 1 to 1000');
  }
  if (messaging.maxEventAgeSeconds < 60 || messaging.maxEventAgeSeconds > 86400) problems.push('messaging.maxEventAgeSeconds must be 60-86400');
  if (messaging.maxRetryAttempts < 0 || messaging.maxRetryAttempts > 185) problems.push('messaging.maxRetryAttempts must be 0-185');
  if (config.partnerApi.burstLimit < config.partnerApi.rateLimit) problems.push('partnerApi.burstLimit must be at least partnerApi.rateLimit');
  if (config.backend.type === 's3') {
    if (!config.backend.bucket) problems.push('backend.bucket is required for the s3 backend');
    if (!config.backend.useLockfile && !config.backend.dynamodbLockTable) {
      problems.push('backend needs useLockfile or dynamodbLockTable so concurrent applies cannot corrupt state');
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid config for environment "${config.name}":\n- ${problems.join('\n- ')}`);
  }
}
