import { describe, expect, test } from 'vitest';
import {
  encodeSgr,
  MouseSplitter,
  type InputPiece,
  type MouseAction,
} from '../../../../src/ui/keys/mouse-input.js';

const split = (...chunks: string[]): InputPiece[] => {
  const s = new MouseSplitter();
  return chunks.flatMap((c) => s.split(c));
};
const at = (action: MouseAction, x: number, y: number, code: number, button = code & 3) => ({
  mouse: { action, code, button, x, y },
});
const x10 = (code: number, x: number, y: number) =>
  `\x1b[M${String.fromCharCode(code + 32, x + 32, y + 32)}`;

describe('mouse reports in raw input', () => {
  test.each<[string, string, InputPiece[]]>([
    ['SGR left press', '\x1b[<0;5;3M', [at('press', 4, 2, 0)]],
    ['SGR left release', '\x1b[<0;5;3m', [at('release', 4, 2, 0)]],
    ['SGR right press', '\x1b[<2;1;1M', [at('press', 0, 0, 2)]],
    ['SGR wheel up', '\x1b[<64;10;20M', [at('wheel-up', 9, 19, 64)]],
    ['SGR wheel down', '\x1b[<65;10;20M', [at('wheel-down', 9, 19, 65)]],
    ['SGR drag', '\x1b[<32;7;8M', [at('motion', 6, 7, 32)]],
    ['SGR ctrl-click, large coordinates', '\x1b[<16;300;120M', [at('press', 299, 119, 16, 0)]],
    ['X10 press', x10(0, 5, 3), [at('press', 4, 2, 0)]],
    ['X10 release', x10(3, 5, 3), [at('release', 4, 2, 3)]],
    ['X10 wheel down', x10(65, 2, 2), [at('wheel-down', 1, 1, 65)]],
    [
      'text around reports keeps its order',
      'ab\x1b[<0;1;1Mc\x1b[<65;1;1Md',
      [
        { text: 'ab' },
        at('press', 0, 0, 0),
        { text: 'c' },
        at('wheel-down', 0, 0, 65),
        { text: 'd' },
      ],
    ],
    ['arrow keys are text', '\x1b[A\x1b[B', [{ text: '\x1b[A\x1b[B' }]],
    ['a lone Escape press is text at once', '\x1b', [{ text: '\x1b' }]],
    ['a malformed report is left to the key decoder', '\x1b[<0;5x', [{ text: '\x1b[<0;5x' }]],
    ['bracketed paste is text', '\x1b[200~hi\x1b[201~', [{ text: '\x1b[200~hi\x1b[201~' }]],
  ])('%s', (_what, input, pieces) => {
    expect(split(input)).toEqual(pieces);
  });

  test.each([
    ['inside the SGR parameters', ['\x1b[<0;1', '2;3M']],
    ['right after ESC [ <', ['\x1b[<', '0;12;3M']],
    ['after ESC, behind a key', ['k\x1b', '[<0;12;3M']],
    ['after ESC [, behind a key', ['k\x1b[', '<0;12;3M']],
    ['inside an X10 report', ['k\x1b[M', String.fromCharCode(32, 44, 35)]],
  ])('a report cut off by the read %s is joined with its end', (_what, chunks) => {
    const pieces = split(...chunks).filter((p) => 'mouse' in p);
    expect(pieces).toEqual([at('press', 11, 2, 0)]);
    expect(split(...chunks).filter((p) => 'text' in p && p.text !== 'k')).toEqual([]);
  });

  test('a held beginning with no continuation is given back by flush', () => {
    const s = new MouseSplitter();
    expect(s.split('x\x1b')).toEqual([{ text: 'x' }]);
    expect(s.holding).toBe(true);
    expect(s.flush()).toBe('\x1b');
    expect(s.holding).toBe(false);
    expect(s.split('y')).toEqual([{ text: 'y' }]);
  });

  test('a held beginning the next chunk does not continue goes out as text before it', () => {
    const s = new MouseSplitter();
    s.split('x\x1b[');
    expect(s.split('A')).toEqual([{ text: '\x1b[A' }]);
  });

  test('encodeSgr writes a report at other cells, release with m', () => {
    const [press] = split('\x1b[<4;50;9M');
    const [release] = split('\x1b[<0;50;9m');
    if (!press || !('mouse' in press) || !release || !('mouse' in release))
      throw new Error('no report');
    expect(encodeSgr(press.mouse, 0, 2)).toBe('\x1b[<4;1;3M');
    expect(encodeSgr(release.mouse, 9, 0)).toBe('\x1b[<0;10;1m');
  });
});
