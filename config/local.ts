import type { EnvironmentConfig } from './types';

/** The offline sandbox: local state, no protection, short retention. */
export const local: EnvironmentConfig = {
  name: 'local',
  prefix: 'orders',
  region: 'us-east-1',
  accountId: '000000000000',
  logRetentionDays: 7,
  deletionProtection: false,
  mfa: 'OFF',
  alarmEmail: 'alarms@example.com',
  backend: { type: 'local' },
  kmsDeletionWindowDays: 7,
  graphqlIntrospection: true,
  tags: { Project: 'orders-platform', Environment: 'local', ManagedBy: 'cdktf' },
  messaging: { maxReceiveCount: 3, archiveRetentionDays: 7, maxEventAgeSeconds: 3600, maxRetryAttempts: 8 },
  emailFrom: 'orders@example.com',
  partnerApi: { rateLimit: 10, burstLimit: 20, dailyQuota: 10000 },
};
