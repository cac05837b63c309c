import { describe, expect, it } from 'vitest';
import { codex } from '../../../../src/core/tools/codex.js';

describe('codex adapter', () => {
  it('turns off its approvals and its own sandbox in bypass mode only', () => {
    expect(codex.command('codex', { permissionMode: 'bypass' })).toEqual([
      'codex',
      '--dangerously-bypass-approvals-and-sandbox',
    ]);
    expect(codex.command('codex', { permissionMode: 'interactive' })).toEqual(['codex']);
  });

  it('resumes the last session or a given one with `codex resume`', () => {
    expect(
      codex.command('codex', { permissionMode: 'bypass', resume: { kind: 'latest' } }),
    ).toEqual(['codex', 'resume', '--last', '--dangerously-bypass-approvals-and-sandbox']);
    expect(
      codex.command('codex', { permissionMode: 'interactive', resume: { kind: 'id', id: 'u-1' } }),
    ).toEqual(['codex', 'resume', 'u-1']);
  });

  it('passes [tool.codex] model and reasoning_effort as -m and a config override', () => {
    const settings = { model: 'gpt-5-codex', effort: 'high' };
    expect(codex.command('codex', { permissionMode: 'interactive', settings })).toEqual([
      'codex',
      '-m',
      'gpt-5-codex',
      '-c',
      'model_reasoning_effort="high"',
    ]);
    const headless = codex.command('codex', { permissionMode: 'bypass', settings, prompt: 'p' });
    expect(headless.slice(0, 2)).toEqual(['codex', 'exec']);
    expect(headless).toContain('model_reasoning_effort="high"');
    expect(headless.at(-1)).toBe('p');
  });

  it('writes the context into ~/.codex/AGENTS.md, keeping the user’s instructions', () => {
    const [file] = codex.homeFiles(
      { context: 'SANDBOX', permissionMode: 'bypass' },
      () => 'mine\n',
    );
    expect(file?.path).toBe('.codex/AGENTS.md');
    expect(file?.content).toMatch(/^mine\n\n<!-- coi:sandbox-context:begin -->\nSANDBOX\n/);
    expect(codex.stateDir).toBe('.codex');
  });
});
