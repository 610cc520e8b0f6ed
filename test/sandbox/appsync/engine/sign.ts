import { SignatureV4 } from '@smithy/signature-v4';
import { SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET_ACCESS_KEY } from '../../../../sandbox/services/appsync/engine';
import { NodeSha256 } from '../../../support/node-sha256';

/** Headers of a request signed as AWS SDKs sign AppSync calls (service `appsync`). */
export async function signedHeaders(options: {
  body: string;
  region: string;
  host?: string;
  path?: string;
  date?: Date;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}): Promise<Record<string, string>> {
  const host = options.host ?? 'localhost:4443';
  const [hostname, port] = host.split(':');
  const signer = new SignatureV4({
    service: 'appsync',
    region: options.region,
    sha256: NodeSha256,
    credentials: {
      accessKeyId: options.accessKeyId ?? SANDBOX_ACCESS_KEY_ID,
      secretAccessKey: options.secretAccessKey ?? SANDBOX_SECRET_ACCESS_KEY,
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: hostname as string,
      ...(port ? { port: Number(port) } : {}),
      path: options.path ?? '/graphql',
      query: {},
      headers: { host, 'content-type': 'application/json' },
      body: options.body,
    },
    { signingDate: options.date ?? new Date() },
  );
  return Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
}
