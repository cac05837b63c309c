import { describe, expect, it } from 'vitest';
import { gitGuardsScript } from '../../../../src/core/session/git-guards.js';
import { GIT_HOOKS_DIR } from '../../../../src/core/session/git-hooks.js';

const HOME = '/home/code';

describe('git guards set-up', () => {
  it('installs root-owned hooks and points the system core.hooksPath at them', () => {
    const script = gitGuardsScript(
      { protectedBranches: ['main', 'release/1.x'], attributionPatterns: ["^it's"] },
      HOME,
    ).join('\n');
    expect(script).toContain(`rm -rf ${GIT_HOOKS_DIR} && mkdir -m 755 ${GIT_HOOKS_DIR}`);
    for (const hook of ['pre-commit', 'commit-msg', 'pre-push', 'reference-transaction']) {
      expect(script).toContain(`> ${GIT_HOOKS_DIR}/${hook} && chmod 755 ${GIT_HOOKS_DIR}/${hook}`);
    }
    expect(script).toContain(
      `printf '%s' 'main\nrelease/1.x\n' > ${GIT_HOOKS_DIR}/protected-branches && chmod 644`,
    );
    expect(script).toContain(`printf '%s' '^it'\\''s\n' > ${GIT_HOOKS_DIR}/attribution-patterns`);
    expect(script).toContain(`git config --system core.hooksPath ${GIT_HOOKS_DIR}`);
    expect(script).not.toContain('.gitconfig');
  });

  it('removes the hooks when every guard is off', () => {
    expect(gitGuardsScript({ protectedBranches: [] }, HOME)).toEqual([
      'mkdir -p /etc/coi && chown root:root /etc/coi && chmod 755 /etc/coi',
      `rm -rf ${GIT_HOOKS_DIR}`,
      'git config --system --unset-all core.hooksPath || true',
    ]);
  });

  it('bind-mounts a read-only ~/.gitconfig holding the identity', () => {
    const script = gitGuardsScript(
      { protectedBranches: [], lockedIdentity: { name: 'Jane "JD" Doe', email: 'j@example.com' } },
      HOME,
    ).join('\n');
    expect(script).toContain(
      `printf '%s' '[user]\n\tuseConfigOnly = true\n\tname = "Jane \\"JD\\" Doe"\n\temail = "j@example.com"\n' > /etc/coi/gitconfig && chmod 444 /etc/coi/gitconfig`,
    );
    expect(script).toContain(
      `mount --bind /etc/coi/gitconfig ${HOME}/.gitconfig && mount -o remount,bind,ro ${HOME}/.gitconfig`,
    );
  });
});
