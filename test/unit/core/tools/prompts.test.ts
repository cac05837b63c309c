import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPrompt } from '../../../../src/core/tools/prompts.js';
import { config } from '../session/config.js';

const coiDir = () => mkdtempSync(join(tmpdir(), 'coi-prompts-'));

describe('prompts', () => {
  it('takes --prompt as it is and --prompt-file from the host', async () => {
    const dir = coiDir();
    writeFileSync(join(dir, 'task.md'), 'from a file\n');
    await expect(readPrompt({ kind: 'text', text: 'hi' }, config(), dir)).resolves.toBe('hi');
    await expect(
      readPrompt({ kind: 'file', path: join(dir, 'task.md') }, config(), dir),
    ).resolves.toBe('from a file\n');
    await expect(
      readPrompt({ kind: 'file', path: join(dir, 'nope.md') }, config(), dir),
    ).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('ENOENT') });
  });

  it('finds a name in [prompts] first, then in ~/.coi/prompts/NAME.md', async () => {
    const dir = coiDir();
    mkdirSync(join(dir, 'prompts'));
    writeFileSync(join(dir, 'prompts', 'review.md'), 'file review');
    writeFileSync(join(dir, 'prompts', 'docs.md'), 'file docs');
    const cfg = config({ prompts: { review: 'config review' } });
    await expect(readPrompt({ kind: 'name', name: 'review' }, cfg, dir)).resolves.toBe(
      'config review',
    );
    await expect(readPrompt({ kind: 'name', name: 'docs' }, cfg, dir)).resolves.toBe('file docs');
    await expect(readPrompt({ kind: 'name', name: 'other' }, cfg, dir)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('no prompt named "other"') as unknown,
    });
    await expect(readPrompt({ kind: 'name', name: 'other' }, cfg, dir)).rejects.toThrow(
      /known: docs, review/,
    );
  });

  it('refuses a name that is a path, and an empty prompt', async () => {
    const dir = coiDir();
    await expect(readPrompt({ kind: 'name', name: '../x' }, config(), dir)).rejects.toThrow(
      /is not a prompt name/,
    );
    await expect(readPrompt({ kind: 'text', text: '  ' }, config(), dir)).rejects.toThrow(
      /--prompt is empty/,
    );
  });
});
