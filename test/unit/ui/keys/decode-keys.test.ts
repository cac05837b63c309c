import { describe, expect, test } from 'vitest';
import { decodeKeys } from '../../../../src/ui/keys/decode-keys.js';

const names = (chunk: string) => decodeKeys(chunk).map((k) => k.name);

describe('decodeKeys', () => {
  test('printable characters, one key each, with the text they type', () => {
    expect(decodeKeys('aK/ ')).toEqual([
      { name: 'a', text: 'a' },
      { name: 'K', text: 'K' },
      { name: '/', text: '/' },
      { name: 'space', text: ' ' },
    ]);
    expect(decodeKeys('é😀')).toEqual([
      { name: 'é', text: 'é' },
      { name: '😀', text: '😀' },
    ]);
  });

  test('control keys', () => {
    expect(names('\r\n\t\x7f\b\x03\x11')).toEqual([
      'enter',
      'enter',
      'tab',
      'backspace',
      'backspace',
      'ctrl-c',
      'ctrl-q',
    ]);
  });

  test('escape sequences: CSI, SS3 (application cursor mode), tilde keys, alt', () => {
    expect(names('\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOH\x1b[Z')).toEqual([
      'up',
      'down',
      'right',
      'left',
      'up',
      'home',
      'shift-tab',
    ]);
    expect(names('\x1b[5~\x1b[6~\x1b[3~\x1b[1;5A')).toEqual(['pageup', 'pagedown', 'delete', 'up']);
    expect(names('\x1bx')).toEqual(['alt-x']);
  });

  test('a lone ESC (or ESC ESC) is the escape key', () => {
    expect(names('\x1b')).toEqual(['escape']);
    expect(names('\x1b\x1b')).toEqual(['escape', 'escape']);
  });

  test('terminal replies (OSC colour, DCS version, DA1, CPR) never decode into command keys', () => {
    expect(names('\x1b]11;rgb:0000/0000/0000\x07q')).toEqual(['unknown', 'q']);
    expect(names('\x1b]10;rgb:ffff/ffff/ffff\x1b\\')).toEqual(['unknown']);
    expect(names('\x1bP>|xterm(390)\x1b\\')).toEqual(['unknown']);
    expect(names('\x1b[?1;2c\x1b[12;40R')).toEqual(['unknown', 'unknown']);
  });

  test('bracketed paste arrives as one text key', () => {
    expect(decodeKeys('\x1b[200~state:frozen K\x1b[201~q')).toEqual([
      { name: 'paste', text: 'state:frozen K' },
      { name: 'q', text: 'q' },
    ]);
  });
});
