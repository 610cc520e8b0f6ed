/** An answer in the AWS JSON 1.1 protocol Cognito speaks: status and body text. */
export interface AwsJsonReply {
  readonly status: number;
  readonly body: string;
}

/** The error answer Cognito gives, `{"__type", "message"}`, which every SDK maps to its exception. */
export function awsError(type: string, message: string, status = 400): AwsJsonReply {
  return { status, body: JSON.stringify({ __type: type, message }) };
}

/** Calls one Cognito operation (e.g. `InitiateAuth`) on a Cognito endpoint. */
export async function callOperation(endpoint: string, operation: string, request: unknown): Promise<AwsJsonReply> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(request),
  });
  return { status: response.status, body: await response.text() };
}

/** The `__type` of an error answer, if it is one. */
export function errorType(reply: AwsJsonReply): string | undefined {
  if (reply.status < 400) return undefined;
  try {
    return (JSON.parse(reply.body) as { __type?: string }).__type;
  } catch {
    return undefined;
  }
}
