// A local certificate authority and a server certificate it signs, so AppSync clients can talk HTTPS and
// WSS to the sandbox as they do to AWS. Generated once into a git-ignored folder and reused until it
// nears expiry or no longer names every host; clients trust the CA with NODE_EXTRA_CA_CERTS.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';

/** The CA and server certificate files, and their PEM contents. */
export interface SandboxCertificate {
  /** Give this to clients: `NODE_EXTRA_CA_CERTS=<caCertPath>`, or curl's `--cacert`. */
  readonly caCertPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  /** Host names and addresses the server certificate is valid for. */
  readonly hosts: readonly string[];
  readonly validTo: Date;
  /** Whether this start generated it (false: reused from an earlier start). */
  readonly generated: boolean;
}

/** Options of {@link ensureCertificate}. */
export interface CertificateOptions {
  /** Folder of the PEM files. @default '.sandbox/certs' */
  readonly dir?: string;
  /** Names and IPs the server certificate must cover. @default ['localhost', '127.0.0.1', '::1'] */
  readonly hosts?: readonly string[];
  /** Generate a new pair when the server certificate expires within this many days. @default 7 */
  readonly renewWithinDays?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_DAYS = 825;
const SERVER_DAYS = 365;

function files(dir: string) {
  return { ca: join(dir, 'ca.pem'), caKey: join(dir, 'ca-key.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server-key.pem') };
}

function coveredHosts(certificate: X509Certificate): string[] {
  return (certificate.subjectAltName ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .flatMap((entry) => {
      if (entry.startsWith('DNS:')) return [entry.slice(4)];
      if (entry.startsWith('IP Address:')) return [canonicalHost(entry.slice(11))];
      return [];
    });
}

// IPv6 addresses in their compressed form, as URL parsing writes them (Node prints SANs expanded).
function canonicalHost(host: string): string {
  return isIP(host) === 6 ? new URL(`http://[${host}]`).hostname.slice(1, -1) : host;
}

function reusable(dir: string, hosts: readonly string[], renewBy: Date): SandboxCertificate | undefined {
  const paths = files(dir);
  if (![paths.ca, paths.cert, paths.key].every((path) => existsSync(path))) return undefined;
  try {
    const ca = readFileSync(paths.ca, 'utf8');
    const cert = readFileSync(paths.cert, 'utf8');
    const server = new X509Certificate(cert);
    const authority = new X509Certificate(ca);
    const covered = coveredHosts(server);
    const validTo = new Date(server.validTo);
    if (!server.checkIssued(authority) || !server.verify(authority.publicKey)) return undefined;
    if (validTo <= renewBy || new Date(authority.validTo) <= renewBy) return undefined;
    if (!hosts.every((host) => covered.includes(canonicalHost(host)))) return undefined;
    return { caCertPath: resolve(paths.ca), certPath: resolve(paths.cert), keyPath: resolve(paths.key), ca, cert, key: readFileSync(paths.key, 'utf8'), hosts: covered, validTo, generated: false };
  } catch {
    return undefined;
  }
}

/** The sandbox's certificate: reused when still good for every host, generated otherwise. */
export async function ensureCertificate(options: CertificateOptions = {}): Promise<SandboxCertificate> {
  const dir = options.dir ?? join('.sandbox', 'certs');
  const hosts = [...new Set(options.hosts ?? ['localhost', '127.0.0.1', '::1'])];
  const now = (options.now ?? (() => new Date()))();
  const existing = reusable(dir, hosts, new Date(now.getTime() + (options.renewWithinDays ?? 7) * DAY_MS));
  if (existing) return existing;

  const authority = await generate(
    [
      { name: 'commonName', value: 'Serverless events platform sandbox CA' },
      { name: 'organizationName', value: 'Local sandbox (not trusted outside this machine)' },
    ],
    {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - DAY_MS),
      notAfterDate: new Date(now.getTime() + CA_DAYS * DAY_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    },
  );
  const server = await generate([{ name: 'commonName', value: hosts.find((host) => isIP(host) === 0) ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    ca: { key: authority.private, cert: authority.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })) },
    ],
  });

  mkdirSync(dir, { recursive: true });
  const paths = files(dir);
  writeFileSync(paths.ca, authority.cert);
  writeFileSync(paths.caKey, authority.private, { mode: 0o600 });
  writeFileSync(paths.cert, server.cert);
  writeFileSync(paths.key, server.private, { mode: 0o600 });
  return {
    caCertPath: resolve(paths.ca),
    certPath: resolve(paths.cert),
    keyPath: resolve(paths.key),
    ca: authority.cert,
    cert: server.cert,
    key: server.private,
    hosts,
    validTo: new Date(new X509Certificate(server.cert).validTo),
    generated: true,
  };
}
