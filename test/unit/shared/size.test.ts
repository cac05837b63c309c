import { describe, expect, it } from 'vitest';
import { bytesOf } from '../../../src/shared/size.js';

describe('bytesOf', () => {
  it('reads binary and decimal units, bare bytes and fractions', () => {
    expect(bytesOf('512MiB')).toBe(512 * 2 ** 20);
    expect(bytesOf('2GB')).toBe(2e9);
    expect(bytesOf('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(bytesOf('4096')).toBe(4096);
    expect(bytesOf('10kB')).toBe(10_000);
  });

  it('refuses what is not a size', () => {
    expect(() => bytesOf('2 GiB')).toThrow('not a size: "2 GiB"');
    expect(() => bytesOf('2gb')).toThrow('not a size');
  });
});
