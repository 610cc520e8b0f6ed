import { Readable } from 'node:stream';
import sharp from 'sharp';

/** A GetObject body as the SDK returns it on Node: a Readable with the SDK's transform helpers. */
export function objectBody(bytes: Uint8Array): never {
  return Object.assign(Readable.from([Buffer.from(bytes)]), {
    transformToByteArray: async () => new Uint8Array(bytes),
    transformToString: async (encoding?: BufferEncoding) => Buffer.from(bytes).toString(encoding),
    transformToWebStream: () => {
      throw new Error('not used');
    },
  }) as never;
}

/** A PNG of the given size made with sharp: a gradient-free solid colour is enough for resizing checks. */
export function pngImage(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer();
}
