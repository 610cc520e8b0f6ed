// IP addresses and CIDR blocks as event-ruler reads them (its CIDR class over Java's InetAddress): a string is
// an address only if it looks like one (four dotted decimal runs, or hex digits and colons with at least one
// colon), and an IPv4-mapped IPv6 address (::ffff:a00:1) is the IPv4 address, as Java returns it. Addresses
// compare as bytes, so "2001:db8::1" and "2001:0db8:0:0:0:0:0:1" are the same address.

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** An address as 4 or 16 bytes. */
export type IpBytes = readonly number[];

/** An inclusive range of addresses of one family. */
export interface IpRange {
  readonly bottom: IpBytes;
  readonly top: IpBytes;
}

function parseIpv4(text: string): IpBytes | undefined {
  const bytes = text.split('.').map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

function parseIpv6Groups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => parseInt(group, 16));
}

function parseIpv6(text: string): IpBytes | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] as string);
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = groups.flatMap((group) => [group >> 8, group & 0xff]);
  const mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

/** The bytes of an IP address literal, or undefined when the text is not one. */
export function parseIpAddress(text: string): IpBytes | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

function addressOfCidr(text: string): IpBytes {
  if (!IPV4_SHAPE.test(text) && !IPV6_SHAPE.test(text)) throw new SyntaxError(`Nonstandard IP address: ${text}`);
  const bytes = parseIpAddress(text);
  if (!bytes) throw new SyntaxError(`Invalid IP address: ${text}`);
  return bytes;
}

/** The range a `cidr` value covers; throws Ruler's message for a malformed one. */
export function parseCidr(cidr: string): IpRange {
  // Java's String.split drops trailing empty strings, so "10.0.0.0/" has one part, as Ruler sees it.
  const parts = cidr.split('/');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new SyntaxError("Malformed CIDR, one '/' required");
  const maskText = parts[1] as string;
  if (!/^[+-]?[0-9]+$/.test(maskText) || !Number.isSafeInteger(Number(maskText)) || Math.abs(Number(maskText)) > 2147483647) {
    throw new SyntaxError('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw new SyntaxError('Malformed CIDR, mask bits must not be negative');
  const address = addressOfCidr(parts[0] as string);
  if (address.length === 4 && maskBits > 31) throw new SyntaxError('IPv4 mask bits must be < 32');
  if (address.length === 16 && maskBits > 127) throw new SyntaxError('IPv6 mask bits must be < 128');
  const fixed = (index: number) => Math.max(0, Math.min(8, maskBits - index * 8));
  const keep = (index: number) => (0xff << (8 - fixed(index))) & 0xff;
  return {
    bottom: address.map((byte, index) => byte & keep(index)),
    top: address.map((byte, index) => (byte & keep(index)) | (~keep(index) & 0xff)),
  };
}

function compareBytes(a: IpBytes, b: IpBytes): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] as number) - (b[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Whether an address lies in a range of the same family. */
export function inRange(address: IpBytes, range: IpRange): boolean {
  return address.length === range.bottom.length && compareBytes(address, range.bottom) >= 0 && compareBytes(address, range.top) <= 0;
}
