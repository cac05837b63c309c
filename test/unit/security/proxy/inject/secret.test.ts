import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretReader } from '../../../../../src/security/proxy/inject/secret.js';

const work = mkdtempSync(join(tmpdir(), 'coi-secret-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SecretReader', () => {
  it('reads a file whole (trimmed) or at a pointer, and says where nothing is', async () => {
    const path = join(work, 'f.json');
    writeFileSync(path, '{"t": "tok", "n": 1}\n');
    const reader = new SecretReader();
    expect(await reader.read({ kind: 'file', path, pointer: '/t' })).toBe('tok');
    expect(await reader.read({ kind: 'file', path, pointer: '' })).toBe('{"t": "tok", "n": 1}');
    await expect(reader.read({ kind: 'file', path, pointer: '/n' })).rejects.toThrow(
      `${path} has no string at JSON pointer /n`,
    );
  });

  it("keeps a command's output for a minute", async () => {
    let now = 0;
    const reader = new SecretReader(() => now);
    const counter = join(work, 'count');
    const command = `echo x >> ${counter}; wc -l < ${counter}`;
    expect(await reader.read({ kind: 'command', command })).toBe('1');
    expect(await reader.read({ kind: 'command', command })).toBe('1');
    now = 60_001;
    expect(await reader.read({ kind: 'command', command })).toBe('2');
    await expect(reader.read({ kind: 'command', command: 'true' })).rejects.toThrow(
      '`true` failed (it printed nothing)',
    );
  });
});
