import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/core/config/index.js';
import { sessionGitIdentity } from '../../../../src/core/session/host-git-identity.js';
import { config } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'coi-host-git-'));
const globalConfig = join(dir, 'gitconfig');
writeFileSync(globalConfig, '[user]\n\tname = Host Person\n\temail = host@example.com\n');
const hostEnv = { PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_GLOBAL: globalConfig };

const withGit = (git: Partial<Config['git']>): Config => {
  const c = config();
  return { ...c, git: { ...c.git, ...git } };
};

describe('session git identity', () => {
  it("seeds name and email from the host's global git config", () => {
    expect(sessionGitIdentity(withGit({}), hostEnv)).toEqual({
      name: 'Host Person',
      email: 'host@example.com',
    });
  });

  it('prefers [git] name/email, key by key', () => {
    expect(sessionGitIdentity(withGit({ name: 'Jane' }), hostEnv)).toEqual({
      name: 'Jane',
      email: 'host@example.com',
    });
  });

  it('reads nothing of the host with seed_host_identity off, or without a host identity', () => {
    expect(sessionGitIdentity(withGit({ seed_host_identity: false }), hostEnv)).toEqual({});
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(sessionGitIdentity(withGit({}), { ...hostEnv, GIT_CONFIG_GLOBAL: empty })).toEqual({});
  });
});
