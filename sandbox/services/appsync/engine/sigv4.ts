// Verifies an AWS Signature Version 4 request the way AWS's front door does for AppSync's AWS_IAM mode:
// the signature is recomputed from the method, path, query, the headers the client listed as signed and
// the exact body, with the secret of the access key it names. Error types and texts are the ones AWS
// answers with (InvalidSignatureException, UnrecognizedClientException, IncompleteSignatureException).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticationError, type AuthRequest } from '../contracts';

/** Access key id of the sandbox's one IAM user; clients sign AWS_IAM requests with it. */
export const SANDBOX_ACCESS_KEY_ID = 'AKIASANDBOXLOCAL0001';
/** Secret access key of the sandbox's IAM user. It protects nothing outside this machine. */
export const SANDBOX_SECRET_ACCESS_KEY = 'sandbox/local/only/not-an-aws-secret/0001';
/** Name of the sandbox's IAM user, in its ARN. */
export const SANDBOX_IAM_USER = 'sandbox';
/** Unique id AWS would give the sandbox's IAM user; AppSync reports it as `ctx.identity.username`. */
export const SANDBOX_IAM_USER_ID = 'AIDASANDBOXLOCALUSER';

/** A key pair the sandbox accepts, and the IAM user it belongs to. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** IAM user name, for `userArn`. */
  readonly userName: string;
  /** IAM user id, for `username`. */
  readonly userId: string;
}

/** The sandbox's own credentials. */
export const SANDBOX_CREDENTIALS: SigningCredentials = {
  accessKeyId: SANDBOX_ACCESS_KEY_ID,
  secretAccessKey: SANDBOX_SECRET_ACCESS_KEY,
  userName: SANDBOX_IAM_USER,
  userId: SANDBOX_IAM_USER_ID,
};

/** What the signature must match. */
export interface SigV4Options {
  readonly credentials: readonly SigningCredentials[];
  readonly region: string;
  /** @default 'appsync' */
  readonly service?: string;
  /** @default Date.now */
  readonly now?: () => number;
  /** How far the request time may be from now, as AWS allows. @default 5 minutes */
  readonly maxSkewMs?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Whether a request carries a SigV4 `authorization` header (as opposed to a token). */
export function isSigV4(headers: Readonly<Record<string, string | undefined>>): boolean {
  return (headers.authorization ?? '').startsWith(`${ALGORITHM} `);
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function incomplete(message: string): AuthenticationError {
  return new AuthenticationError(message, 'IncompleteSignatureException');
}

function parseAuthorization(header: string): ParsedAuthorization {
  const parts = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length).split(',')) {
    const [key, ...value] = part.trim().split('=');
    if (key) parts.set(key, value.join('='));
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((key) => !parts.get(key));
  if (missing.length > 0) {
    throw incomplete(missing.map((key) => `Authorization header requires '${key}' parameter.`).join(' '));
  }
  const credential = (parts.get('Credential') as string).split('/');
  if (credential.length !== 5 || credential[4] !== 'aws4_request') {
    throw incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.get('Credential')}'`);
  }
  const [accessKeyId, date, region, service] = credential as [string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: (parts.get('SignedHeaders') as string).split(';').map((name) => name.trim().toLowerCase()),
    signature: parts.get('Signature') as string,
  };
}

// RFC 3986 unreserved characters stay; everything else is percent-encoded, as SigV4 requires.
function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.map((segment) => escape(decodeURIComponent(segment))).join('/')}`;
  return path.endsWith('/') && segments.length > 0 ? `${normalized}/` : normalized;
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [key, ...value] = pair.split('=');
      return [escape(decodeURIComponent((key ?? '').replace(/\+/g, ' '))), escape(decodeURIComponent(value.join('=').replace(/\+/g, ' ')))] as const;
    })
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

/** `20240101T120000Z` as epoch milliseconds, or NaN. */
function parseAmzDate(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return Number.NaN;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
}

function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function checkClock(requestTime: number, requestDate: string, now: number, skew: number): void {
  const minutes = `${Math.round(skew / 60000)} min.`;
  if (requestTime < now - skew) {
    throw new AuthenticationError(
      `Signature expired: ${requestDate} is now earlier than ${amzDate(now - skew)} (${amzDate(now)} - ${minutes})`,
      'InvalidSignatureException',
    );
  }
  if (requestTime > now + skew) {
    throw new AuthenticationError(
      `Signature not yet current: ${requestDate} is still later than ${amzDate(now + skew)} (${amzDate(now)} + ${minutes})`,
      'InvalidSignatureException',
    );
  }
}

/** Checks a SigV4-signed request and returns the credentials that signed it; throws {@link AuthenticationError}. */
export function verifySigV4(request: AuthRequest, options: SigV4Options): SigningCredentials {
  const headers = request.headers;
  const parsed = parseAuthorization(headers.authorization ?? '');
  const service = options.service ?? 'appsync';
  const requestDate = headers['x-amz-date'];
  if (!requestDate) throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const requestTime = parseAmzDate(requestDate);
  if (Number.isNaN(requestTime)) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${requestDate}'.`);
  if (!parsed.signedHeaders.includes('host')) throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

  const credentials = options.credentials.find((candidate) => candidate.accessKeyId === parsed.accessKeyId);
  if (!credentials) throw new AuthenticationError('The security token included in the request is invalid.', 'UnrecognizedClientException');
  if (parsed.date !== requestDate.slice(0, 8)) {
    throw new AuthenticationError(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${requestDate.slice(0, 8)}'`, 'InvalidSignatureException');
  }
  if (parsed.region !== options.region) {
    throw new AuthenticationError(`Credential should be scoped to a valid region, not '${parsed.region}'. `, 'InvalidSignatureException');
  }
  if (parsed.service !== service) {
    throw new AuthenticationError(`Credential should be scoped to correct service: '${service}'. `, 'InvalidSignatureException');
  }
  checkClock(requestTime, requestDate, (options.now ?? Date.now)(), options.maxSkewMs ?? 5 * 60 * 1000);

  const [path = '/', query = ''] = request.path.split('?');
  const canonicalHeaders = [...parsed.signedHeaders]
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const bodyHash = sha256Hex(request.body);
  // A body that does not hash to a signed x-amz-content-sha256 was changed after signing.
  const claimedHash = headers['x-amz-content-sha256'];
  if (claimedHash && claimedHash !== bodyHash) throw new AuthenticationError(SIGNATURE_MISMATCH, 'InvalidSignatureException');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders,
    [...parsed.signedHeaders].sort().join(';'),
    bodyHash,
  ].join('\n');
  const scope = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const stringToSign = [ALGORITHM, requestDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const dateKey = hmac(`AWS4${credentials.secretAccessKey}`, parsed.date);
  const signingKey = hmac(hmac(hmac(dateKey, parsed.region), parsed.service), 'aws4_request');
  const expected = Buffer.from(hmac(signingKey, stringToSign).toString('hex'));
  const given = Buffer.from(parsed.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AuthenticationError(SIGNATURE_MISMATCH, 'InvalidSignatureException');
  return credentials;
}
