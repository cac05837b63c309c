import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../src/cli/errors.js';
import { parseSlot } from '../../../../src/cli/options/slot.js';

describe('--slot', () => {
  it('takes 1 to 10', () => {
    expect(parseSlot('1')).toBe(1);
    expect(parseSlot('10')).toBe(10);
  });

  it('reports a slot that is not one, as a usage error', () => {
    for (const bad of ['abc', '0', '11', '-1', '2.0', '0x2', ' 2', '']) {
      let err: unknown;
      try {
        parseSlot(bad);
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).toBe(
        `invalid slot "${bad}" (use 1 to 10, or leave out --slot for the lowest free one)`,
      );
      expect(exitCodeFor(err)).toBe(2);
    }
  });
});
