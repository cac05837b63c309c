import { describe, expect, it } from 'vitest';
import { buildProgram, commandNamed, programFor, soleCommand } from '../../../src/cli/program.js';

const TREE = (await buildProgram()).commands;
const ALL = TREE.map((c) => c.name());
const defined = async (...args: string[]) =>
  (await programFor(['node', 'coi', ...args])).commands.map((c) => c.name());

describe('the tree a run defines', () => {
  it('is the one command its first word names, by name or alias', async () => {
    expect(await defined('version')).toEqual(['version']);
    expect(await defined('-w', '/ws', '--slot', '2', 'shell', 'x')).toEqual(['shell']);
    expect(await defined('close', 'box')).toEqual(['shutdown']);
    expect(await defined('resume')).toEqual(['unfreeze']);
  });

  it('is every command for bare coi, an alias or mistyped word, help, completion', async () => {
    for (const args of [[], ['myalias'], ['lst'], ['--help'], ['list', '-h'], ['help', 'list']])
      expect(await defined(...args), args.join(' ')).toEqual(ALL);
    expect(await defined('completion', 'bash')).toEqual(ALL);
    expect(await defined('--resume', 'shell')).toEqual(ALL);
  });

  it('knows every command of the tree by its name and its aliases', () => {
    for (const c of TREE)
      for (const word of [c.name(), ...c.aliases()])
        expect(commandNamed(word), word).toBe(c.name());
  });

  it('names its sole command, the one the tree of one command defines', async () => {
    for (const args of [['version'], ['-w', '/ws', 'list', '--all'], ['close', 'box'], ['lst']]) {
      const tree = await defined(...args);
      expect(soleCommand(['node', 'coi', ...args]), args.join(' ')).toBe(
        tree.length === 1 ? tree[0] : undefined,
      );
    }
    expect(soleCommand(['node', 'coi', 'list', '--help'])).toBeUndefined();
  });
});
