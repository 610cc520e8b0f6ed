import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The server half of Cognito's SRP-6a variant (USER_SRP_AUTH), matching what the client half in
 * amazon-cognito-identity-js and Amplify computes: the 3072-bit group of RFC 5054, SHA-256, an HKDF
 * named "Caldera Derived Key", and a password claim signed over pool, user, secret block and time.
 */

/** The RFC 5054 3072-bit prime. */
const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;
const k = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

/** What the server keeps between the challenge and the client's answer. */
export interface SrpChallenge {
  /** The pool id's part after `_`, which Cognito mixes into the password hash. */
  readonly poolName: string;
  /** The username the client must use from now on (`USER_ID_FOR_SRP`). */
  readonly userId: string;
  readonly A: bigint;
  readonly B: bigint;
  readonly b: bigint;
  readonly v: bigint;
  /** Hex, as sent in `SALT`. */
  readonly salt: string;
}

/** Starts a challenge for the client's `SRP_A`; null when A is not a valid public value (A mod N = 0). */
export function srpChallenge(poolId: string, userId: string, password: string, srpA: string): SrpChallenge | null {
  const A = BigInt(`0x${srpA}`);
  if (A % N === 0n) return null;
  const poolName = poolId.split('_')[1] ?? poolId;
  const salt = randomBytes(16).toString('hex');
  const x = BigInt(`0x${hexHash(padHex(BigInt(`0x${salt}`)) + hash(`${poolName}${userId}:${password}`))}`);
  const v = modPow(g, x, N);
  let b: bigint;
  let B: bigint;
  do {
    b = BigInt(`0x${randomBytes(32).toString('hex')}`);
    B = (k * v + modPow(g, b, N)) % N;
  } while (B === 0n);
  return { poolName, userId, A, B, b, v, salt };
}

/** `SRP_B` of a challenge, in hex. */
export function srpB(challenge: SrpChallenge): string {
  return challenge.B.toString(16);
}

/** The `PASSWORD_CLAIM_SIGNATURE` a client that knows the password sends for this challenge. */
export function expectedSignature(challenge: SrpChallenge, secretBlock: string, timestamp: string): string {
  const u = BigInt(`0x${hexHash(padHex(challenge.A) + padHex(challenge.B))}`);
  const S = modPow((challenge.A * modPow(challenge.v, u, N)) % N, challenge.b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const key = createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(challenge.poolName, 'utf8'),
        Buffer.from(challenge.userId, 'utf8'),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
}

/** Even-length hex with a leading 00 when the top bit is set, as Java's BigInteger.toByteArray (and the client) encode. */
function padHex(value: bigint): string {
  const hex = value.toString(16);
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  return /^[89a-f]/i.test(even) ? `00${even}` : even;
}

function hash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hexHash(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}
