import { environments, loadEnvironment, validateEnvironment } from '../../config';

describe('environment config', () => {
  it('knows local, dev and prod', () => {
    expect(Object.keys(environments)).toEqual(['local', 'dev', 'prod']);
    expect(loadEnvironment('prod').backend.type).toBe('s3');
    expect(loadEnvironment().name).toBe('local');
  });

  it('rejects an unknown environment, listing the known ones', () => {
    expect(() => loadEnvironment('staging')).toThrow('Unknown environment "staging": known environments are local, dev, prod');
    expect(() => loadEnvironment('toString')).toThrow('Unknown environment "toString"');
  });

  it('reports every invalid value at once', () => {
    const broken = { ...environments.dev!, prefix: 'Bad_Prefix', accountId: '12', logRetentionDays: 8, backend: { type: 's3' as const, bucket: 'b', keyPrefix: 'k', region: 'eu-west-1', useLockfile: false } };
    expect(() => validateEnvironment(broken)).toThrow(
      'Invalid config for environment "dev":\n' +
        '- prefix must be 2-16 lowercase letters, digits or dashes, starting with a letter\n' +
        '- accountId must be 12 digits\n' +
        '- logRetentionDays must be one of CloudWatch\'s values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)\n' +
        '- backend needs useLockfile or dynamodbLockTable so concurrent applies cannot corrupt state',
    );
  });
});
