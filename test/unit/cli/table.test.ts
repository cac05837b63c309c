import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../src/cli/table.js';

describe('formatTable', () => {
  it('pads each column to its widest cell, two spaces apart, without trailing blanks', () => {
    expect(
      formatTable(
        ['NAME', 'STATE'],
        [
          ['a-long-name', 'RUNNING'],
          ['b', 'STOPPED'],
        ],
      ),
    ).toBe(['NAME         STATE', 'a-long-name  RUNNING', 'b            STOPPED'].join('\n'));
  });

  it('prints the heading alone when there are no rows', () => {
    expect(formatTable(['A', 'B'], [])).toBe('A  B');
  });
});
