import { describe, expect, it } from 'vitest';
import { HeldInput } from '../../../../src/ui/terminal/held-input.js';

describe('HeldInput', () => {
  it('sends at once, or keeps input in order while held and sends it in one piece on release', () => {
    const sent: string[] = [];
    const input = new HeldInput((bytes) => sent.push(bytes));
    input.write('a');
    input.hold(true);
    input.write('bc');
    input.write('d');
    expect(input.holding).toBe(true);
    expect(input.heldBytes).toBe(3);
    expect(sent).toEqual(['a']);
    input.hold(false);
    expect(sent).toEqual(['a', 'bcd']);
    expect(input.holding).toBe(false);
    expect(input.heldBytes).toBe(0);
  });

  it('a release with nothing held sends nothing', () => {
    const sent: string[] = [];
    const input = new HeldInput((bytes) => sent.push(bytes));
    input.hold(true);
    input.hold(false);
    expect(sent).toEqual([]);
  });
});
