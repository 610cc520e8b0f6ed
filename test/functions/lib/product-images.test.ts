import { parseProductImageKey, thumbnailKey } from '../../../functions/lib/product-images';
import { createdObjects } from '../../../functions/lib/s3-notifications';
import { s3Notification, s3TestEvent } from '../factories/sns';

describe('parseProductImageKey', () => {
  it('reads originals and the platform’s thumbnails', () => {
    expect(parseProductImageKey('products/MUG-01/original.PNG')).toEqual({ kind: 'original', sku: 'MUG-01', extension: 'png' });
    expect(parseProductImageKey(thumbnailKey('MUG-01'))).toEqual({ kind: 'thumbnail', sku: 'MUG-01' });
  });

  it.each(['products/mug-01/original.png', 'products/MUG-01/original.exe', 'products/MUG-01/side.png', 'uploads/MUG-01/original.png'])('refuses %s, naming the rule', (key) => {
    expect(() => parseProductImageKey(key)).toThrow(
      `Object key ${key} is invalid: key must be products/<SKU>/original.<png|jpg|jpeg|webp|gif|avif|tif|tiff> with a SKU of 2-32 upper-case letters, digits or dashes`,
    );
  });
});

describe('createdObjects', () => {
  it('decodes keys and keeps what identifies the upload', () => {
    expect(createdObjects(s3Notification({ key: 'products/MUG-01/original copy.png', versionId: 'v1', size: 10 }), 'test')).toEqual([
      {
        bucket: 'orders-test-media',
        key: 'products/MUG-01/original copy.png',
        size: 10,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        versionId: 'v1',
        sequencer: '0055AED6DCD90280',
        eventTime: '2026-11-28T10:00:00.250Z',
        requestId: 'C3D13FE58DE4C810',
      },
    ]);
  });

  it('yields nothing for S3’s test event and for removals', () => {
    expect(createdObjects(s3TestEvent(), 'test')).toEqual([]);
    expect(createdObjects(s3Notification({ key: 'products/MUG-01/original.png', eventName: 'ObjectRemoved:Delete' }), 'test')).toEqual([]);
  });

  it('refuses a payload that is no S3 notification', () => {
    expect(() => createdObjects({ hello: 'world' }, 'SQS message m-1')).toThrow('SQS message m-1 is invalid: Records must be the array of an S3 event notification');
  });
});
