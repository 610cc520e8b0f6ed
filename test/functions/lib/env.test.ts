import '../support/environment';
import { MissingEnvironmentError, requireEnv } from '../../../functions/lib/env';

describe('requireEnv', () => {
  it('returns the named variables', () => {
    expect(requireEnv(['TABLE_NAME', 'EVENT_BUS_NAME'], { TABLE_NAME: 'orders-dev', EVENT_BUS_NAME: 'orders-dev-bus' })).toEqual({
      TABLE_NAME: 'orders-dev',
      EVENT_BUS_NAME: 'orders-dev-bus',
    });
  });

  it('names every missing or blank variable at once', () => {
    const read = () => requireEnv(['TABLE_NAME', 'EVENT_BUS_NAME', 'FROM_ADDRESS'], { EVENT_BUS_NAME: 'bus', FROM_ADDRESS: '  ' });
    expect(read).toThrow(MissingEnvironmentError);
    expect(read).toThrow('Missing environment variables: TABLE_NAME, FROM_ADDRESS');
  });

  it('fails a handler at load, naming the variable', async () => {
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await jest.isolateModulesAsync(async () => {
        await expect(import('../../../functions/write-audit-record/handler')).rejects.toThrow('Missing environment variable: TABLE_NAME');
      });
    } finally {
      process.env.TABLE_NAME = saved;
    }
  });
});
