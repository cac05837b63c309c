import { describe, expect, it } from 'vitest';
import { runTarget } from '../../../../src/cli/commands/run-target.js';

/**
 * What `coi run` runs, decided from its words and flags alone (the real CLI's exit 2 for these is
 * in the integration tests: a broken check here must not reach a real Incus).
 */
describe('coi run: command, prompt or ./coi-run', () => {
  it.each([
    [[], { prompt: 'a', promptFile: 'b' }, '--prompt and --prompt-file cannot be combined'],
    [
      [],
      { promptFile: 'b', promptName: 'c' },
      '--prompt-file and --prompt-name cannot be combined',
    ],
    [
      [],
      { prompt: 'a', promptFile: 'b', promptName: 'c' },
      '--prompt and --prompt-file and --prompt-name cannot be combined',
    ],
    [['npm', 'test'], { prompt: 'a' }, '--prompt cannot be combined with a command (npm test)'],
    [['true'], { promptName: 'c' }, '--prompt-name cannot be combined with a command (true)'],
  ])('%j with %j is a usage error', (words, flags, message) => {
    expect(() => runTarget(words, flags)).toThrow(message);
    expect(() => runTarget(words, flags)).toThrow(expect.objectContaining({ kind: 'usage' }));
  });

  it('is the command, the prompt, or ./coi-run when there is neither', () => {
    expect(runTarget(['make'], {})).toEqual({ kind: 'command', words: ['make'] });
    expect(runTarget([], { promptName: 'review' })).toEqual({
      kind: 'prompt',
      source: { kind: 'name', name: 'review' },
    });
    expect(runTarget([], { promptFile: 'f.md' })).toEqual({
      kind: 'prompt',
      source: { kind: 'file', path: 'f.md' },
    });
    expect(runTarget([], { prompt: '' })).toEqual({
      kind: 'prompt',
      source: { kind: 'text', text: '' },
    });
    expect(runTarget([], {})).toEqual({ kind: 'script' });
  });
});
