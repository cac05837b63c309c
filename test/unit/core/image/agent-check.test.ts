import { describe, expect, it } from 'vitest';
import { checkAgentBinaries } from '../../../../src/core/image/agent-check.js';
import { FakeIncus, runResult } from '../../../helpers/fake-incus.js';
import { silentProgress } from '../../../helpers/progress.js';

describe('checkAgentBinaries', () => {
  it('runs each binary with --version as the code user, then deletes the container', async () => {
    const incus = new FakeIncus();
    const ran: string[] = [];
    incus.exec.answer((_name, command, opts) => {
      ran.push(`${opts.user}: ${command.join(' ')}`);
      return runResult(0, '1.0.0\n');
    });
    await checkAgentBinaries(incus, { fingerprint: 'abc' }, ['claude', 'omp'], {
      prefix: 'coi-unit-',
      progress: silentProgress,
    });
    expect(ran).toEqual(['1000: bash -lc claude --version', '1000: bash -lc omp --version']);
    expect(incus.instances.all.size).toBe(0);
  });

  it('a failing binary fails with its exit code and output, and leaves no container', async () => {
    const incus = new FakeIncus();
    incus.exec.answer((_name, command) =>
      command[2] === 'codex --version'
        ? runResult(127, '', 'bash: line 1: codex: command not found\n')
        : runResult(0, 'ok\n'),
    );
    await expect(
      checkAgentBinaries(incus, { fingerprint: 'abc' }, ['claude', 'codex'], {
        prefix: 'coi-unit-',
        progress: silentProgress,
      }),
    ).rejects.toThrow(
      '`codex --version` failed in the built image (exit 127):\nbash: line 1: codex: command not found',
    );
    expect(incus.instances.all.size).toBe(0);
  });
});
