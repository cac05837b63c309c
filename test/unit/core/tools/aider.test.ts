import { describe, expect, it } from 'vitest';
import { aider } from '../../../../src/core/tools/aider.js';

describe('aider adapter', () => {
  it('says yes to everything in bypass mode and restores its chat history on resume', () => {
    expect(aider.command('aider', { permissionMode: 'bypass' })).toEqual(['aider', '--yes-always']);
    expect(
      aider.command('aider', { permissionMode: 'interactive', resume: { kind: 'latest' } }),
    ).toEqual(['aider', '--restore-chat-history']);
  });

  it('reads ~/AGENTS.md through --read when the context was written', () => {
    const opts = { permissionMode: 'interactive' as const, home: '/home/code' };
    expect(aider.command('aider', { ...opts, withContext: true })).toEqual([
      'aider',
      '--read',
      '/home/code/AGENTS.md',
    ]);
    expect(aider.command('aider', { ...opts, withContext: false })).toEqual(['aider']);
    const [file] = aider.homeFiles({ context: 'ctx', permissionMode: 'bypass' }, () => undefined);
    expect(file?.path).toBe('AGENTS.md');
    expect(file?.content).toContain('ctx');
  });
});
