import { Command } from '../../../../src/cli/commander.js';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../src/cli/errors.js';
import { envMap, envOption } from '../../../../src/cli/options/env.js';

const parse = (args: string[]) =>
  new Command('x')
    .exitOverride()
    .addOption(envOption('-e, --env <KEY=VALUE>', 'environment'))
    .parse(args, { from: 'user' })
    .opts<{ env: string[] }>().env;

describe('--env KEY=VALUE', () => {
  it('collects the pairs; a value may hold "=", a later pair wins', () => {
    const pairs = parse(['-e', 'A=1', '--env', 'B=x=y', '-e', 'C=', '-e', 'A=2']);
    expect(pairs).toEqual(['A=1', 'B=x=y', 'C=', 'A=2']);
    expect(envMap(pairs)).toEqual({ A: '2', B: 'x=y', C: '' });
    expect(parse([])).toEqual([]);
  });

  it('refuses anything else as it is parsed, as a usage error', () => {
    for (const bad of ['NOVALUE', '=x', '1A=2', 'A-B=1']) {
      let err: unknown;
      try {
        parse(['-e', bad]);
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).toBe(
        `invalid env "${bad}" (use KEY=VALUE, KEY a shell variable name)`,
      );
      expect(exitCodeFor(err)).toBe(2);
    }
  });
});
