import { describe, expect, test } from 'vitest';
import { segmentsToAnsi } from '../../../../src/ui/format/ansi.js';

describe('segmentsToAnsi', () => {
  test('each styled segment carries its own SGR and a reset; plain text stays bare', () => {
    expect(
      segmentsToAnsi([
        { text: 'a' },
        { text: 'b', bold: true, color: 'redBright' },
        { text: 'c', dim: true, color: 'gray' },
      ]),
    ).toBe('a\x1b[1;91mb\x1b[0m\x1b[2;90mc\x1b[0m');
  });

  test('inverse applies to every segment, blanks included', () => {
    expect(segmentsToAnsi([{ text: 'x', color: 'green' }, { text: '  ' }], true)).toBe(
      '\x1b[7;32mx\x1b[0m\x1b[7m  \x1b[0m',
    );
  });

  test('#rrggbb is a truecolour foreground; an unknown name is an error, not dropped', () => {
    expect(segmentsToAnsi([{ text: 'x', color: '#ff8000' }])).toBe('\x1b[38;2;255;128;0mx\x1b[0m');
    expect(() => segmentsToAnsi([{ text: 'x', color: 'orange' }])).toThrow(/orange/);
  });
});
