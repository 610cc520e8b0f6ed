import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * Extracts a deployment package into `targetDir` and returns the paths it wrote, relative to it.
 *
 * Deployment zips are plain archives (cdktf's assets, `zip -r`): stored or deflated entries, no encryption,
 * under 4 GB. That is all this reads, from the central directory (cdktf writes sizes after the data, so the
 * local headers carry none); anything else fails with what it met instead of extracting garbage.
 */
export function extractZip(zipFile: string, targetDir: string): string[] {
  const data = readFileSync(zipFile);
  const root = resolve(targetDir);
  const fail = (problem: string) => new Error(`${zipFile}: ${problem}`);

  let end = -1;
  for (let offset = data.length - 22; offset >= Math.max(0, data.length - 22 - 0xffff); offset -= 1) {
    if (data.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw fail('not a zip archive');
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw fail('ZIP64 archives are not supported');

  const written: string[] = [];
  for (let index = 0; index < count; index += 1) {
    if (data.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw fail(`central directory entry ${index} is corrupt`);
    const flags = data.readUInt16LE(offset + 8);
    const method = data.readUInt16LE(offset + 10);
    const compressedSize = data.readUInt32LE(offset + 20);
    const size = data.readUInt32LE(offset + 24);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const unixMode = (data.readUInt32LE(offset + 38) >>> 16) & 0o777;
    const localHeader = data.readUInt32LE(offset + 42);
    const name = data.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;

    const target = resolve(root, name);
    if (!target.startsWith(root + sep)) throw fail(`entry ${name} would be written outside ${targetDir}`);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    if (flags & 0x1) throw fail(`entry ${name} is encrypted`);
    if (data.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw fail(`entry ${name} has no local header`);
    const start = localHeader + 30 + data.readUInt16LE(localHeader + 26) + data.readUInt16LE(localHeader + 28);
    const raw = data.subarray(start, start + compressedSize);
    let content: Buffer;
    if (method === 0) content = raw;
    else if (method === 8) content = inflateRawSync(raw);
    else throw fail(`entry ${name} uses compression method ${method}; only stored and deflated entries are supported`);
    if (content.length !== size) throw fail(`entry ${name} is ${content.length} bytes, the directory says ${size}`);

    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    if (unixMode) chmodSync(target, unixMode);
    written.push(name);
  }
  return written;
}
