import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/cli/errors.js';
import { resumeFlag, type SessionFlags } from '../../../src/cli/session-options.js';

const flags = (more: Partial<SessionFlags>): SessionFlags => ({ env: [], ...more });

function refusal(more: Partial<SessionFlags>): { code: number; message: string } {
  try {
    resumeFlag(flags(more));
  } catch (err) {
    return { code: exitCodeFor(err), message: (err as Error).message };
  }
  throw new Error('expected resumeFlag to refuse');
}

describe('--resume / --continue', () => {
  it('asks for the newest session, or the one named', () => {
    expect(resumeFlag(flags({}))).toBeUndefined();
    expect(resumeFlag(flags({ resume: true }))).toEqual({ kind: 'latest' });
    expect(resumeFlag(flags({ continue: 'auto' }))).toEqual({ kind: 'latest' });
    expect(resumeFlag(flags({ resume: 'a1b2-c3.d_4' }))).toEqual({ kind: 'id', id: 'a1b2-c3.d_4' });
  });

  it('refuses an id that is not one, as a usage error naming the flag', () => {
    expect(refusal({ resume: '../../etc' })).toEqual({
      code: 2,
      message: expect.stringMatching(/^--resume: "\.\.\/\.\.\/etc" is not a session id/),
    });
    expect(refusal({ continue: 'a b' }).message).toMatch(/^--continue: "a b"/);
    expect(refusal({ resume: '-rf' }).code).toBe(2);
  });
});
