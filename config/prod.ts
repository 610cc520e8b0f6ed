import type { EnvironmentConfig } from './types';

export const prod: EnvironmentConfig = {
  name: 'prod',
  prefix: 'orders',
  region: 'eu-west-1',
  accountId: '222222222222',
  logRetentionDays: 90,
  deletionProtection: true,
  mfa: 'ON',
  alarmEmail: 'platform-alarms@example.com',
  backend: {
    type: 's3',
    bucket: 'orders-platform-tfstate-prod',
    keyPrefix: 'orders-platform/prod',
    region: 'eu-west-1',
    useLockfile: true,
  },
  kmsDeletionWindowDays: 30,
  graphqlIntrospection: false,
  tags: { Project: 'orders-platform', Environment: 'prod', ManagedBy: 'cdktf' },
  messaging: { maxReceiveCount: 5, archiveRetentionDays: 90, maxEventAgeSeconds: 86400, maxRetryAttempts: 185 },
  emailFrom: 'orders@example.com',
  partnerApi: { rateLimit: 50, burstLimit: 100, dailyQuota: 500000 },
};
