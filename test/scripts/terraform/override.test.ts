import { buildOverride, findProducer, referencedOutputs, stackLocation, type SynthesizedStack } from '../../../scripts/terraform/override';

// Two stacks the way cdktf synthesizes a cross-stack reference: the producer gets an output
// per referenced attribute, the consumer a terraform_remote_state data source that reads it.
const ref = (output: string) => `\${data.terraform_remote_state.cross-stack-reference-input-data.outputs.${output}}`;

const data: SynthesizedStack = {
  name: 'data',
  config: {
    provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['111122223333'], default_tags: [{ tags: { env: 'prod' } }] }] },
    terraform: {
      backend: { s3: { bucket: 'tfstate-prod', key: 'data.tfstate', region: 'eu-west-1', use_lockfile: true } },
      required_providers: { aws: { source: 'aws', version: '5.100.0' } },
    },
    resource: {
      aws_kms_key: { key: { enable_key_rotation: true } },
      aws_dynamodb_table: { orders: { name: 'orders-prod', hash_key: 'pk', server_side_encryption: { kms_key_arn: '${aws_kms_key.key.arn}' } } },
    },
    output: {
      'cross-stack-output-aws_kms_keykeyarn': { value: '${aws_kms_key.key.arn}', sensitive: true } as { value: unknown },
      'cross-stack-output-aws_dynamodb_tableordersname': { value: '${aws_dynamodb_table.orders.name}' },
    },
  },
};

const api: SynthesizedStack = {
  name: 'api',
  config: {
    provider: {
      aws: [
        { region: 'eu-west-1', allowed_account_ids: ['111122223333'], assume_role: [{ role_arn: 'arn:aws:iam::111122223333:role/deploy' }] },
        { alias: 'us_east_1', region: 'us-east-1', profile: 'prod' },
      ],
    },
    terraform: { backend: { s3: { bucket: 'tfstate-prod', key: 'api.tfstate', region: 'eu-west-1' } } },
    data: {
      terraform_remote_state: {
        'cross-stack-reference-input-data': {
          backend: 's3',
          config: { bucket: 'tfstate-prod', key: 'data.tfstate', region: 'eu-west-1' },
          workspace: '${terraform.workspace}',
        },
      },
    },
    resource: {
      aws_lambda_function: {
        fn: {
          kms_key_arn: ref('cross-stack-output-aws_kms_keykeyarn'),
          environment: { variables: { TABLE: ref('cross-stack-output-aws_dynamodb_tableordersname') } },
        },
      },
    },
  },
};

const override = (stack: SynthesizedStack, stacks = [data, api]) => buildOverride(stack, stacks, { emptyStatePath: 'empty.tfstate' });

describe('validation override', () => {
  it('replaces the backend with a local one in the working directory', () => {
    expect(override(data).content.terraform).toEqual({ backend: { local: { path: 'terraform.tfstate' } } });
  });

  it('gives the AWS provider credentials it never checks and lifts the account allow list', () => {
    expect(override(data).content.provider).toEqual({
      aws: [
        {
          access_key: 'offline-validate',
          secret_key: 'offline-validate',
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: 'true',
          skip_region_validation: true,
          allowed_account_ids: null,
        },
      ],
    });
  });

  it('overrides every aliased provider by its alias and drops profiles and roles to assume', () => {
    const [main, alias] = (override(api).content.provider as { aws: Record<string, unknown>[] }).aws;
    expect(main).toMatchObject({ assume_role: [{ role_arn: '' }], allowed_account_ids: null, skip_requesting_account_id: true });
    expect(main).not.toHaveProperty('alias');
    expect(alias).toMatchObject({ alias: 'us_east_1', profile: null, skip_credentials_validation: true });
    expect(alias).not.toHaveProperty('allowed_account_ids');
  });

  it('answers remote state reads from an empty local state, with placeholders of all the producer outputs', () => {
    const { content, remoteStates } = override(api);
    expect(content.data).toEqual({
      terraform_remote_state: {
        'cross-stack-reference-input-data': {
          backend: 'local',
          config: { path: 'empty.tfstate' },
          defaults: {
            'cross-stack-output-aws_kms_keykeyarn': expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/),
            'cross-stack-output-aws_dynamodb_tableordersname': 'orders-prod',
          },
        },
      },
    });
    expect(remoteStates).toEqual([{ dataSource: 'cross-stack-reference-input-data', producer: 'data', outputs: 2 }]);
  });

  it('leaves data sources and providers alone when the stack has none', () => {
    const bare: SynthesizedStack = { name: 'bare', config: {} };
    expect(override(bare).content).toEqual({ terraform: { backend: { local: { path: 'terraform.tfstate' } } } });
  });

  it('finds a producer by the outputs read when the data source name does not name it', () => {
    const renamed: SynthesizedStack = {
      name: 'web',
      config: {
        data: { terraform_remote_state: { upstream: { backend: 'local', config: { path: 'x' } } } },
        output: { table: { value: '${data.terraform_remote_state.upstream.outputs["cross-stack-output-aws_dynamodb_tableordersname"]}' } },
      },
    };
    expect(referencedOutputs(renamed.config, 'upstream')).toEqual(['cross-stack-output-aws_dynamodb_tableordersname']);
    expect(findProducer(renamed, 'upstream', [data, api, renamed])?.name).toBe('data');
  });

  it('guesses outputs from their names when no synthesized stack produces them', () => {
    const external: SynthesizedStack = {
      name: 'edge',
      config: {
        data: { terraform_remote_state: { shared: { backend: 's3', config: { bucket: 'b', key: 'k' } } } },
        output: { url: { value: '${data.terraform_remote_state.shared.outputs.queue_url}' } },
      },
    };
    const { content, remoteStates } = override(external);
    expect(content.data).toMatchObject({ terraform_remote_state: { shared: { defaults: { queue_url: expect.stringMatching(/^https:\/\//) } } } });
    expect(remoteStates).toEqual([{ dataSource: 'shared', producer: undefined, outputs: 1 }]);
  });

  it('passes an output through a middle stack from the stack that produces it', () => {
    const middle: SynthesizedStack = {
      name: 'middle',
      config: {
        data: { terraform_remote_state: { 'cross-stack-reference-input-data': { backend: 'local', config: { path: 'x' } } } },
        output: { table: { value: '${data.terraform_remote_state.cross-stack-reference-input-data.outputs.cross-stack-output-aws_dynamodb_tableordersname}' } },
      },
    };
    const last: SynthesizedStack = {
      name: 'last',
      config: { data: { terraform_remote_state: { 'cross-stack-reference-input-middle': { backend: 'local', config: { path: 'x' } } } } },
    };
    expect(override(last, [data, middle, last]).content.data).toMatchObject({
      terraform_remote_state: { 'cross-stack-reference-input-middle': { defaults: { table: 'orders-prod' } } },
    });
  });

  it('places a stack where its default provider is, with made-up values where it says nothing', () => {
    expect(stackLocation(data.config)).toEqual({ partition: 'aws', region: 'eu-west-1', accountId: '111122223333' });
    expect(stackLocation({})).toEqual({ partition: 'aws', region: 'us-east-1', accountId: '123456789012' });
    expect(stackLocation({ provider: { aws: { region: 'cn-north-1' } } }).partition).toBe('aws-cn');
  });
});
