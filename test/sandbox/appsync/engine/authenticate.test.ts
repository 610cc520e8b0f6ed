import { AuthenticationError } from '../../../../sandbox/services/appsync/contracts';
import { apiKeyValue } from '../../../../sandbox/services/appsync/engine';
import { ACCOUNT, POOL_ID, REGION, authRequest, createFixture, fakeVerifier, token, type Fixture } from './fixture';
import { signedHeaders } from './sign';

let fixture: Fixture;
beforeAll(() => {
  fixture = createFixture();
});
afterAll(() => fixture.cleanup());

async function refusal(promise: Promise<unknown>): Promise<{ name: string; errorType: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AuthenticationError)) throw new Error(`expected an AuthenticationError, got ${String(error)}`);
  return { name: error.name, errorType: error.errorType, message: error.message };
}

const BODY = '{"query":"mutation { renameThing(id: \\"1\\", name: \\"x\\") { id } }"}';

describe('authenticate', () => {
  it('refuses a request without credentials as AppSync does', async () => {
    expect(await refusal(fixture.engine.authenticate(authRequest({})))).toEqual({
      name: 'AuthenticationError',
      errorType: 'UnauthorizedException',
      message: 'You are not authorized to make this call.',
    });
  });

  it('accepts a Cognito token of the API’s pool, raw or with Bearer, through cognito.verifier', async () => {
    const jwt = token({ sub: 'alice-sub', groups: ['admin'] });
    for (const authorization of [jwt, `Bearer ${jwt}`]) {
      const caller = await fixture.engine.authenticate(authRequest({ authorization }));
      expect(caller).toMatchObject({ mode: 'AMAZON_COGNITO_USER_POOLS', sourceIp: '127.0.0.1', identity: { sub: 'alice-sub', groups: ['admin'], sourceIp: ['127.0.0.1'], defaultAuthStrategy: 'ALLOW' } });
    }
    expect(fakeVerifier.calls.at(-1)?.options).toEqual({ userPoolId: POOL_ID, sourceIp: ['127.0.0.1'], defaultAuthStrategy: 'ALLOW' });
  });

  it('refuses tokens of another pool, expired tokens and non-JWTs', async () => {
    expect((await refusal(fixture.engine.authenticate(authRequest({ authorization: token({ sub: 'x', iss: 'http://127.0.0.1:9229/local_other' }) })))).message).toBe(
      'You are not authorized to make this call.',
    );
    expect((await refusal(fixture.engine.authenticate(authRequest({ authorization: token({ sub: 'x', exp: 1 }) })))).message).toBe('Token has expired.');
    expect((await refusal(fixture.engine.authenticate(authRequest({ authorization: 'da2-not-a-jwt' })))).message).toBe('Unable to parse JWT token.');
  });

  it("accepts the API's key in x-api-key, but not an expired or unknown one", async () => {
    const [valid, expired] = fixture.model.resources('aws_appsync_api_key').map(apiKeyValue) as [string, string];
    expect(valid).toMatch(/^da2-[a-z2-7]{26}$/);
    expect(await fixture.engine.authenticate(authRequest({ 'x-api-key': valid }))).toEqual({ mode: 'API_KEY', identity: null, sourceIp: '127.0.0.1' });
    for (const key of [expired, 'da2-unknown']) {
      expect((await refusal(fixture.engine.authenticate(authRequest({ 'x-api-key': key })))).errorType).toBe('UnauthorizedException');
    }
  });

  it('falls back to a valid API key when the authorization header is for no enabled mode', async () => {
    const [valid] = fixture.model.resources('aws_appsync_api_key').map(apiKeyValue) as [string];
    const caller = await fixture.engine.authenticate(authRequest({ authorization: 'Basic abc', 'x-api-key': valid }));
    expect(caller.mode).toBe('API_KEY');
  });
});

describe('AWS_IAM (SigV4)', () => {
  it('accepts a request signed with the sandbox credentials and gives AppSync’s IAM identity', async () => {
    const headers = await signedHeaders({ body: BODY, region: REGION });
    const caller = await fixture.engine.authenticate(authRequest(headers, BODY));
    expect(caller).toEqual({
      mode: 'AWS_IAM',
      sourceIp: '127.0.0.1',
      identity: {
        accountId: ACCOUNT,
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp: ['127.0.0.1'],
        username: 'AIDASANDBOXLOCALUSER',
        userArn: `arn:aws:iam::${ACCOUNT}:user/sandbox`,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      },
    });
    const withToken = await signedHeaders({ body: BODY, region: REGION, sessionToken: 'session' });
    expect(withToken['x-amz-security-token']).toBe('session');
    expect((await fixture.engine.authenticate(authRequest(withToken, BODY))).mode).toBe('AWS_IAM');
  });

  it('refuses a tampered body, a wrong secret, an unknown key, another region and a stale date', async () => {
    const mismatch =
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
    const headers = await signedHeaders({ body: BODY, region: REGION });
    expect(await refusal(fixture.engine.authenticate(authRequest(headers, BODY.replace('renameThing', 'renameThang'))))).toEqual({
      name: 'AuthenticationError',
      errorType: 'InvalidSignatureException',
      message: mismatch,
    });
    const wrongSecret = await signedHeaders({ body: BODY, region: REGION, secretAccessKey: 'not-the-secret' });
    expect((await refusal(fixture.engine.authenticate(authRequest(wrongSecret, BODY)))).message).toBe(mismatch);
    const unknown = await signedHeaders({ body: BODY, region: REGION, accessKeyId: 'AKIAUNKNOWN000000000' });
    expect(await refusal(fixture.engine.authenticate(authRequest(unknown, BODY)))).toMatchObject({
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const otherRegion = await signedHeaders({ body: BODY, region: 'us-east-1' });
    expect((await refusal(fixture.engine.authenticate(authRequest(otherRegion, BODY)))).errorType).toBe('InvalidSignatureException');
    const stale = await signedHeaders({ body: BODY, region: REGION, date: new Date(Date.now() - 6 * 60 * 1000) });
    expect((await refusal(fixture.engine.authenticate(authRequest(stale, BODY)))).message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
  });

  it('signs over the host the client used', async () => {
    const headers = await signedHeaders({ body: BODY, region: REGION, host: '127.0.0.1:4443' });
    expect((await fixture.engine.authenticate(authRequest(headers, BODY))).mode).toBe('AWS_IAM');
    expect((await refusal(fixture.engine.authenticate(authRequest({ ...headers, host: 'localhost:4443' }, BODY)))).errorType).toBe('InvalidSignatureException');
  });
});
