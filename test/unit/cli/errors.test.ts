import { CommanderError } from '../../../src/cli/commander.js';
import { describe, expect, it } from 'vitest';
import { CliError, exitCodeFor, usageError } from '../../../src/cli/errors.js';
import { ConfigError } from '../../../src/core/config/errors.js';
import { parseContainerPath } from '../../../src/core/files/container-path.js';
import { ProfileAdminError } from '../../../src/core/profile/admin.js';
import { IncusNotFoundError } from '../../../src/incus/errors.js';
import { CoiError } from '../../../src/shared/errors.js';
import { CommandError } from '../../../src/shared/run.js';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('exit codes', () => {
  it('maps error kinds: usage and config 2, failure 1', () => {
    expect(exitCodeFor(new CoiError('x', 'usage'))).toBe(2);
    expect(exitCodeFor(new CoiError('x', 'config'))).toBe(2);
    expect(exitCodeFor(new CoiError('x', 'failure'))).toBe(1);
    expect(exitCodeFor(new CoiError('x'))).toBe(1);
  });

  it("gives core's and the CLI's own errors the codes users know", () => {
    const config = new ConfigError([{ file: 'f', key: 'k', expected: 'a', got: 'b' }]);
    expect(exitCodeFor(config)).toBe(2);
    expect(exitCodeFor(thrownBy(() => parseContainerPath('no-colon')))).toBe(2);
    expect(exitCodeFor(new ProfileAdminError('taken'))).toBe(1);
    expect(exitCodeFor(new ProfileAdminError('reserved', 'usage'))).toBe(2);
    expect(exitCodeFor(usageError('--slot'))).toBe(2);
    expect(exitCodeFor(new CliError('no such container'))).toBe(1);
  });

  it('gives 0 for help and version, 2 for other argument errors, 1 for anything else', () => {
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', ''))).toBe(0);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', ''))).toBe(2);
    expect(exitCodeFor(new IncusNotFoundError('gone', 404))).toBe(1);
    expect(exitCodeFor(new CommandError('tar -x', 2, ''))).toBe(1);
    expect(exitCodeFor(new Error('bug'))).toBe(1);
    expect(exitCodeFor('thrown string')).toBe(1);
  });
});
