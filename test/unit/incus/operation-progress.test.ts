import { describe, expect, it } from 'vitest';
import { parseProgress } from '../../../src/incus/operation-progress.js';

describe('parseProgress', () => {
  it('reads the structured progress object and its formatted line', () => {
    expect(
      parseProgress({
        progress: { stage: 'create_instance_from_image_unpack', percent: '45', speed: '1200' },
        create_instance_from_image_unpack_progress: 'Unpack: 45% (1.20kB/s)',
      }),
    ).toEqual({
      stage: 'create_instance_from_image_unpack',
      percent: 45,
      processed: undefined,
      speed: 1200,
      text: 'Unpack: 45% (1.20kB/s)',
    });
  });

  it('reads processed bytes when there is no percentage', () => {
    expect(
      parseProgress({
        progress: { stage: 'create_image_from_container_pack', processed: '1048576', speed: '0' },
      }),
    ).toMatchObject({
      stage: 'create_image_from_container_pack',
      processed: 1048576,
      percent: undefined,
    });
  });

  it('falls back to a legacy <stage>_progress line', () => {
    expect(parseProgress({ download_progress: 'rootfs: 12% (3.00MB/s)' })).toEqual({
      stage: 'download',
      percent: 12,
      text: 'rootfs: 12% (3.00MB/s)',
    });
  });

  it('returns undefined without progress', () => {
    expect(parseProgress(null)).toBeUndefined();
    expect(parseProgress({ return: 0 })).toBeUndefined();
  });
});
