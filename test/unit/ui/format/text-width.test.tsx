import cliTruncate from 'cli-truncate';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { fit, truncate } from '../../../../src/ui/format/text-width.js';

const ours = createRequire(import.meta.url);
const ink = createRequire(ours.resolve('ink'));
const inkMeasure = createRequire(ink.resolve('widest-line'));

/** CJK, halfwidth kana with a sound mark, emoji (plain, ZWJ, flag, keycap), marks and ANSI. */
const SAMPLES = [
  '日本語テキスト',
  'ｶﾞｷﾞｸﾞ',
  '😀😀😀',
  '👨‍👩‍👧 family',
  '🇩🇪 flag',
  '1️⃣ keycap',
  'e\u0301 combining',
  '\u001b[31mred 日本\u001b[39m tail',
  '▾ ↓1.5K │ é',
];

describe('text width', () => {
  test('is measured and cut by the very modules Ink measures and cuts with', () => {
    expect(ours.resolve('string-width')).toBe(inkMeasure.resolve('string-width'));
    expect(ours.resolve('string-width')).toBe(ink.resolve('string-width'));
    expect(ours.resolve('cli-truncate')).toBe(ink.resolve('cli-truncate'));
    expect(ours.resolve('wrap-ansi')).toBe(ink.resolve('wrap-ansi'));
  });

  test('counts cells like a terminal', () => {
    expect(stringWidth('coi-abc12345-1')).toBe(14);
    expect(stringWidth('▾ ↓1.5K │ é')).toBe(11);
    expect(stringWidth('日本')).toBe(4);
    expect(stringWidth('😀x')).toBe(3);
    expect(stringWidth('👨‍👩‍👧')).toBe(2);
    expect(stringWidth('🇩🇪')).toBe(2);
    expect(stringWidth('e\u0301')).toBe(1);
    expect(stringWidth('ｶﾞ')).toBe(2);
    expect(stringWidth('\u001b[31m日本\u001b[39m')).toBe(4);
  });

  test('truncate and fit never exceed the width', () => {
    expect(truncate('coi-abc12345-10', 8)).toBe('coi-abc…');
    expect(truncate('日本語テキスト', 5)).toBe('日本…');
    // A wide character straddling the cut is left out, not let one cell over.
    expect(truncate('日本語テキスト', 6)).toBe('日本…');
    expect(truncate('a😀😀', 3)).toBe('a…');
    expect(truncate('ｶﾞｷﾞｸﾞ', 4)).toBe('ｶﾞ…');
    expect(truncate('abc', 1)).toBe('…');
    expect(truncate('abc', 0)).toBe('');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    for (const text of SAMPLES)
      for (let width = 0; width <= 16; width += 1)
        expect(stringWidth(fit(text, width)), `${JSON.stringify(text)} at ${width}`).toBe(width);
  });

  test("printable ASCII, cut and measured without the width tables, gets the libraries' answer", () => {
    for (const text of ['', 'a', 'coi-abc12345-10', 'ab cd ', '  12.5%', '~!@#$%^&*()_+{}|:"<>?'])
      for (let width = 0; width <= 24; width += 1) {
        const at = `${JSON.stringify(text)} at ${width}`;
        expect(truncate(text, width), at).toBe(width > 0 ? cliTruncate(text, width) : '');
        expect(fit(text, width), at).toBe(cliTruncate(text, width).padEnd(width));
        expect(fit(text, width, 'right'), at).toBe(cliTruncate(text, width).padStart(width));
      }
  });

  test('keeps ANSI styles whole when cutting', () => {
    expect(truncate('\u001b[31mred text\u001b[39m', 5)).toBe('\u001b[31mred …\u001b[39m');
  });

  test("a row fitted to N cells is N cells in Ink's layout", () => {
    for (const text of SAMPLES) {
      for (const width of [3, 4, 5, 8, 12]) {
        const cell = fit(text, width);
        // One cell more than the text: Ink wraps when it measures the text wider, and opens a gap
        // before the bar when it measures it narrower.
        const app = render(
          <Box width={width + 1} justifyContent="space-between">
            <Text>{cell}</Text>
            <Text>|</Text>
          </Box>,
        );
        const frame = stripVTControlCharacters(app.lastFrame() ?? '');
        app.unmount();
        expect(frame, `${JSON.stringify(text)} at ${width}`).toBe(
          `${stripVTControlCharacters(cell)}|`,
        );
      }
    }
  });
});
