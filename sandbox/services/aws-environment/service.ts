import type { SandboxService } from '../../core/service';
import { SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET_ACCESS_KEY } from '../appsync/engine';
import { endpointCapability } from '../capabilities';
import { DYNAMODB_ENDPOINT } from '../dynamodb';
import { AWS_ENVIRONMENT } from '../lambda';

/** SDK service suffixes whose local endpoints functions get as `AWS_ENDPOINT_URL_<SUFFIX>`. */
const SDK_SERVICES = ['SQS', 'SNS', 'S3', 'EVENTBRIDGE', 'SES', 'SESV2', 'SCHEDULER', 'SFN', 'APPSYNC'] as const;

/** Service endpoints a function's AWS SDK clients are pointed at, by the SDK's `AWS_ENDPOINT_URL_<SERVICE>` variable. */
const ENDPOINT_VARIABLES: Readonly<Record<string, string>> = {
  [DYNAMODB_ENDPOINT]: 'AWS_ENDPOINT_URL_DYNAMODB',
  ...Object.fromEntries(SDK_SERVICES.map((suffix) => [endpointCapability(suffix), `AWS_ENDPOINT_URL_${suffix}`])),
};

/**
 * What code running in the sandbox (Lambda functions) needs to reach the local services instead of AWS:
 * the sandbox credentials and one `AWS_ENDPOINT_URL_<SERVICE>` per running service (AWS SDK v3 reads them).
 */
export function awsEnvironmentService(after: readonly string[]): SandboxService {
  return {
    name: 'aws-environment',
    runs: [],
    after,
    async start(context) {
      const environment: Record<string, string> = {
        AWS_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SANDBOX_SECRET_ACCESS_KEY,
        AWS_REGION: context.model.region,
        AWS_DEFAULT_REGION: context.model.region,
        // Functions run on the sandbox's Node 20 here, nodejs22.x on AWS: the SDK's Node 20 notice is noise.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      for (const [capability, variable] of Object.entries(ENDPOINT_VARIABLES)) {
        const endpoint = context.registry.find<string>(capability);
        if (endpoint) environment[variable] = endpoint;
      }
      context.registry.provide(AWS_ENVIRONMENT, environment);
    },
    stop: async () => undefined,
  };
}
