import { describe, expect, it } from 'vitest';
import { tarCompression } from '../../../../src/core/image/rootfs.js';

describe('[container.build] compression', () => {
  it('maps to tar flags; none (and unset) compresses nothing', () => {
    expect(tarCompression(undefined)).toEqual([]);
    expect(tarCompression('none')).toEqual([]);
    expect(tarCompression('zstd')).toEqual(['--zstd']);
    expect(() => tarCompression('lz77')).toThrow(/compression/);
  });
});
