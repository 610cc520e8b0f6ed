import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { extractZip } from '../../../sandbox/services/lambda/zip';

interface Entry {
  readonly name: string;
  readonly content?: string;
  readonly method?: 0 | 8;
  readonly mode?: number;
}

/** A minimal zip writer: local headers, central directory, end record; sizes in the directory only, as cdktf writes them. */
function zip(entries: readonly Entry[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const raw = Buffer.from(entry.content ?? '');
    const data = entry.method === 8 ? deflateRawSync(raw) : raw;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(entry.method ?? 0, 8);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.method ?? 0, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? 0o644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    directory.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

describe('extractZip', () => {
  const root = mkdtempSync(join(tmpdir(), 'lambda-zip-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function write(name: string, entries: readonly Entry[]): string {
    const file = join(root, name);
    writeFileSync(file, zip(entries));
    return file;
  }

  it('extracts stored and deflated entries, folders and file modes', () => {
    const file = write('ok.zip', [
      { name: 'lib/', mode: 0o755 },
      { name: 'index.js', content: 'exports.handler = 1;', method: 8 },
      { name: 'lib/data.json', content: '{"a":1}' },
      { name: 'bin/run', content: '#!/bin/sh', mode: 0o755 },
    ]);
    const target = join(root, 'ok');
    expect(extractZip(file, target)).toEqual(['index.js', 'lib/data.json', 'bin/run']);
    expect(readFileSync(join(target, 'index.js'), 'utf8')).toBe('exports.handler = 1;');
    expect(readFileSync(join(target, 'lib', 'data.json'), 'utf8')).toBe('{"a":1}');
    expect(statSync(join(target, 'bin', 'run')).mode & 0o777).toBe(0o755);
  });

  it('refuses an entry that would land outside the target folder', () => {
    const file = write('slip.zip', [{ name: '../escaped.js', content: 'x' }]);
    expect(() => extractZip(file, join(root, 'slip'))).toThrow(`${file}: entry ../escaped.js would be written outside ${join(root, 'slip')}`);
  });

  it('names what it cannot read', () => {
    const notZip = join(root, 'plain.txt');
    writeFileSync(notZip, 'hello, this is not an archive at all');
    expect(() => extractZip(notZip, join(root, 'plain'))).toThrow(`${notZip}: not a zip archive`);
    const bzip = zip([{ name: 'a.js', content: 'x' }]);
    bzip.writeUInt16LE(12, bzip.length - 22 - 46 - 4 + 10);
    const file = join(root, 'bzip.zip');
    writeFileSync(file, bzip);
    expect(() => extractZip(file, join(root, 'bzip'))).toThrow(`${file}: entry a.js uses compression method 12; only stored and deflated entries are supported`);
  });
});
