import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../src/cli/main.js';

afterEach(() => vi.restoreAllMocks());

describe('coi info', () => {
  it('refuses a session id that is not one before looking for it (exit 2)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['node', 'coi', 'info', '../../.ssh'])).toBe(2);
    expect(stderr).toHaveBeenCalledWith(
      expect.stringMatching(/^Error: session id: "\.\.\/\.\.\/\.ssh" is not a session id/),
    );
  });
});
