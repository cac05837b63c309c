import { describe, expect, it } from 'vitest';
import { aider } from '../../../../src/core/tools/aider.js';
import { claude } from '../../../../src/core/tools/claude.js';
import { codex } from '../../../../src/core/tools/codex.js';
import { opencode } from '../../../../src/core/tools/opencode.js';
import { omp, pi } from '../../../../src/core/tools/pi.js';

const bypass = { permissionMode: 'bypass' as const };

/** Each tool's own non-interactive mode, with the prompt as one argument. */
describe('print mode', () => {
  it.each([
    [claude, ['claude', '--dangerously-skip-permissions', '-p', 'do it']],
    [
      codex,
      [
        'codex',
        'exec',
        '--skip-git-repo-check',
        '--dangerously-bypass-approvals-and-sandbox',
        'do it',
      ],
    ],
    [opencode, ['opencode', 'run', 'do it']],
    [pi, ['pi', '-p', 'do it']],
    [omp, ['omp', '-p', 'do it']],
    [aider, ['aider', '--yes-always', '--no-pretty', '--message', 'do it']],
  ])('%s', (adapter, argv) => {
    expect(adapter.printMode).toBe(true);
    expect(adapter.command(adapter.defaultBinary, { ...bypass, prompt: 'do it' })).toEqual(argv);
  });

  it('continues a conversation headless the way each tool does', () => {
    const latest = { ...bypass, prompt: 'next', resume: { kind: 'latest' as const } };
    expect(claude.command('claude', latest)).toEqual([
      'claude',
      '--dangerously-skip-permissions',
      '--continue',
      '-p',
      'next',
    ]);
    expect(codex.command('codex', latest).slice(-3)).toEqual(['resume', '--last', 'next']);
    expect(opencode.command('opencode', latest)).toEqual(['opencode', 'run', '--continue', 'next']);
    expect(omp.command('omp', { ...latest, resume: { kind: 'id', id: 'a1' } })).toEqual([
      'omp',
      '--session',
      'a1',
      '-p',
      'next',
    ]);
  });

  it('keeps a prompt that looks like a flag one argument', () => {
    expect(claude.command('claude', { ...bypass, prompt: '--help me' }).at(-1)).toBe('--help me');
  });
});
