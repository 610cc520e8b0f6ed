import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** An SDK client for cognito-local; it checks no signatures, so the credentials are placeholders. */
export function cognitoClient(endpoint: string, region = 'us-east-1'): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  });
}
