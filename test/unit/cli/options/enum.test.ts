import { Command } from '../../../../src/cli/commander.js';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../src/cli/errors.js';
import { enumChoice, enumOption } from '../../../../src/cli/options/enum.js';

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('enumerated flags', () => {
  it('accept one of the choices and name the mistake the way users search for it', () => {
    expect(enumChoice('format', 'json', ['text', 'json'])).toBe('json');
    const err = thrownBy(() => enumChoice('format', 'xml', ['text', 'json']));
    expect(err.message).toBe('invalid format "xml" (use text or json)');
    expect(exitCodeFor(err)).toBe(2);
    expect(thrownBy(() => enumChoice('sort', 'x', ['cpu', 'mem', 'disk'])).message).toBe(
      'invalid sort "x" (use cpu, mem or disk)',
    );
  });

  it('are checked while the command line is parsed, before the action runs', async () => {
    let ran = false;
    const cmd = new Command('x')
      .exitOverride()
      .addOption(enumOption('--network <mode>', 'network mode', ['restricted', 'open']))
      .action(() => void (ran = true));
    await expect(cmd.parseAsync(['--network', 'wide'], { from: 'user' })).rejects.toThrow(
      'invalid network "wide" (use restricted or open)',
    );
    expect(ran).toBe(false);
    await cmd.parseAsync(['--network', 'open'], { from: 'user' });
    expect(cmd.opts()).toEqual({ network: 'open' });
  });
});
