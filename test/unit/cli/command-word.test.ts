import { describe, expect, it } from 'vitest';
import { commandWord } from '../../../src/cli/command-word.js';

const isCommand = (word: string) => ['shell', 'list', 'run'].includes(word);
const word = (...args: string[]) => commandWord(args, isCommand);

describe('the command word', () => {
  it('is the first word after the global flags and their values', () => {
    expect(word('list')).toBe('list');
    expect(word('-w', 'dir', '--slot', '2', 'shell', '-w', 'x')).toBe('shell');
    expect(word('--workspace=dir', '--slot=2', '--profile', 'p', 'run', 'true')).toBe('run');
    expect(word('-wdir', 'list')).toBe('list');
    expect(word('--resume', 'a1b2', 'shell')).toBe('shell');
    expect(word('--continue', '--slot', '1', 'shell')).toBe('shell');
    expect(word('--resume=a1b2', 'list')).toBe('list');
  });

  it('is no word when a global flag takes it for its value', () => {
    expect(word('-w', 'list')).toBeUndefined();
    expect(word('--resume', 'shell')).toBeUndefined();
  });

  it('is none for bare coi and after anything but a global flag', () => {
    expect(word()).toBeUndefined();
    expect(word('--slot', '2')).toBeUndefined();
    expect(word('--help', 'list')).toBeUndefined();
    expect(word('--version')).toBeUndefined();
    expect(word('--bogus', 'list')).toBeUndefined();
    expect(word('--', 'list')).toBeUndefined();
  });
});
