import { describe, expect, test } from 'vitest';
import { fitSegments } from '../../../../src/ui/format/segments.js';

describe('fitSegments', () => {
  test('cuts, pads on request and merges equal styles', () => {
    expect(fitSegments([{ text: 'abc' }, { text: 'def' }], 8)).toEqual([{ text: 'abcdef  ' }]);
    expect(fitSegments([{ text: 'abc', bold: true }, { text: 'defgh' }], 6, false)).toEqual([
      { text: 'abc', bold: true },
      { text: 'de…' },
    ]);
  });

  test('counts wide characters in cells and never lets one straddle the edge', () => {
    expect(fitSegments([{ text: '日本', color: 'red' }, { text: '語テ' }], 7)).toEqual([
      { text: '日本', color: 'red' },
      { text: '語…' },
    ]);
    expect(fitSegments([{ text: '日本', color: 'red' }, { text: '語テ' }], 6)).toEqual([
      { text: '日本', color: 'red' },
      { text: '… ' },
    ]);
  });
});
