import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { programFor } from '../../../../src/cli/program.js';
import { runMain } from '../../../helpers/run-main.js';

/** The tree `coi ARGS` runs with, one command's action replaced by a recorder of its flags. */
async function flagsSeenBy(path: string[], args: string[]): Promise<Record<string, unknown>> {
  const program = await programFor(['node', 'coi', ...args]);
  let command: Command = program;
  for (const name of path) command = command.commands.find((c) => c.name() === name)!;
  let seen: Record<string, unknown> | undefined;
  command.action((...params: unknown[]) => {
    seen = (params.at(-1) as Command).opts();
  });
  await program.parseAsync(args, { from: 'user' });
  if (!seen) throw new Error(`${path.join(' ')} did not run`);
  return seen;
}

describe('global flags', () => {
  it('go before or after the command', async () => {
    expect(await flagsSeenBy(['shell'], ['-w', '/ws', '--slot', '2', 'shell'])).toMatchObject({
      workspace: '/ws',
      slot: 2,
    });
    expect(await flagsSeenBy(['shell'], ['shell', '-w', '/ws', '--slot', '2'])).toMatchObject({
      workspace: '/ws',
      slot: 2,
    });
    expect(await flagsSeenBy(['run'], ['--profile', 'p', 'run', 'true'])).toMatchObject({
      profile: 'p',
    });
    expect(await flagsSeenBy(['attach'], ['--slot', '3', 'attach'])).toMatchObject({ slot: 3 });
    expect(await flagsSeenBy(['shell'], ['--resume', '--slot', '1'])).toMatchObject({
      resume: true,
      slot: 1,
    });
  });

  it('given on both sides, the one after the command wins', async () => {
    expect(await flagsSeenBy(['shell'], ['-w', '/a', 'shell', '-w', '/b'])).toMatchObject({
      workspace: '/b',
    });
  });

  it('reach the subcommand of a group', async () => {
    expect(await flagsSeenBy(['config', 'show'], ['--profile', 'p', 'config', 'show'])).toEqual(
      expect.objectContaining({ profile: 'p' }),
    );
  });

  it('are validated before the command', async () => {
    const r = await runMain(['--slot', 'abc', 'shell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid slot "abc"');
  });

  it('are refused by a command that takes none of them, rather than ignored', async () => {
    const r = await runMain(['--slot', '2', 'list']);
    expect(r).toMatchObject({ code: 2, stderr: 'Error: --slot does not apply to `coi list`\n' });
    const nested = await runMain(['-w', '/ws', 'snapshot', 'list']);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain('--workspace does not apply to `coi snapshot list`');
  });

  it('do not let an optional value swallow the command name', async () => {
    const r = await runMain(['--resume', 'shell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'Error: --resume took "shell" for its value: put it after the command (`coi shell --resume`)\n',
    );
    expect(await flagsSeenBy(['shell'], ['--resume', 'a1b2'])).toMatchObject({ resume: 'a1b2' });
  });

  it('leave the words of `coi run` alone: after its first word, all is the command', async () => {
    expect(
      await flagsSeenBy(['run'], ['run', '--slot', '4', 'grep', '-w', 'x', '--slot', '9']),
    ).toMatchObject({ slot: 4, workspace: '.' });
  });
});
