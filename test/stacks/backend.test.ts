import { synthPlatform } from './synth';

describe('Terraform state backends', () => {
  it('keeps local state in the project root, where downstream stacks read it', () => {
    const { data, api } = synthPlatform('local');
    expect(data.doc.terraform.backend).toEqual({ local: { path: '../../../terraform.data.tfstate' } });
    const remote = api.doc.data?.terraform_remote_state ?? {};
    expect(Object.values(remote).map((state) => state.config)).toEqual(
      expect.arrayContaining([{ path: '../../../terraform.data.tfstate' }, { path: '../../../terraform.auth.tfstate' }]),
    );
  });

  it('uses one S3 key per stack with S3-native locking outside local', () => {
    const stacks = synthPlatform('prod');
    for (const name of ['data', 'auth', 'events', 'api'] as const) {
      expect(stacks[name].doc.terraform.backend).toEqual({
        s3: {
          bucket: 'orders-platform-tfstate-prod',
          key: `orders-platform/prod/${name}.tfstate`,
          region: 'eu-west-1',
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  it('pins the provider to the environment account and region and tags every resource', () => {
    const provider = synthPlatform('prod').data.doc.provider.aws[0] as Record<string, unknown>;
    expect(provider).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['222222222222'] });
    expect(provider.default_tags).toEqual([{ tags: { Project: 'orders-platform', Environment: 'prod', ManagedBy: 'cdktf', Stack: 'data' } }]);
  });
});
