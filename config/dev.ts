import type { EnvironmentConfig } from './types';

export const dev: EnvironmentConfig = {
  name: 'dev',
  prefix: 'orders',
  region: 'eu-west-1',
  accountId: '111111111111',
  logRetentionDays: 14,
  deletionProtection: false,
  mfa: 'OPTIONAL',
  alarmEmail: 'platform-alarms+dev@example.com',
  backend: {
    type: 's3',
    bucket: 'orders-platform-tfstate-dev',
    keyPrefix: 'orders-platform/dev',
    region: 'eu-west-1',
    useLockfile: true,
  },
  kmsDeletionWindowDays: 7,
  graphqlIntrospection: true,
  tags: { Project: 'orders-platform', Environment: 'dev', ManagedBy: 'cdktf' },
  messaging: { maxReceiveCount: 3, archiveRetentionDays: 14, maxEventAgeSeconds: 3600, maxRetryAttempts: 8 },
  emailFrom: 'orders+dev@example.com',
  partnerApi: { rateLimit: 20, burstLimit: 40, dailyQuota: 50000 },
};
