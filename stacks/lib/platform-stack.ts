import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config';
import { Naming } from './naming';

/** Props every platform stack takes. */
export interface PlatformStackProps {
  /** The environment this stack is synthesized for. */
  readonly config: EnvironmentConfig;
}

/** A stack with the AWS provider, default tags and the environment's state backend already set up. */
export class PlatformStack extends TerraformStack {
  /** The environment's config. */
  readonly config: EnvironmentConfig;
  /** Builds resource names for this environment. */
  readonly naming: Naming;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.config = props.config;
    this.naming = new Naming(props.config);
    new AwsProvider(this, 'aws', {
      region: props.config.region,
      allowedAccountIds: [props.config.accountId],
      defaultTags: [{ tags: { ...props.config.tags, Stack: id } }],
    });
    configureBackend(this, id, props.config);
  }
}

function configureBackend(stack: TerraformStack, stackId: string, config: EnvironmentConfig): void {
  const backend = config.backend;
  if (backend.type === 'local') {
    // Terraform runs in cdktf.out/stacks/<stack>/; a path relative to that depth keeps the state in the
    // project root and lets downstream stacks' remote-state reads find it, on any machine.
    new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${stackId}.tfstate`,
    region: backend.region,
    encrypt: true,
    dynamodbTable: backend.dynamodbLockTable,
  });
  // cdktf 0.21 predates S3-native locking (Terraform 1.10), so the setting is added to the JSON directly.
  if (backend.useLockfile) stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
