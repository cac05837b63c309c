import { describe, expect, it } from 'vitest';
import type { CoiSandbox } from '../../../helpers/coi-cli.js';
import { sandboxForFile } from '../../../helpers/coi-cli.js';

/**
 * The git guards in a real container, as the code user: one session runs every probe and prints
 * `<label>=<value>` lines.
 *
 * Prevented: commits on, moves of and pushes to a protected branch through any git command (also
 * with --no-verify); editing or removing the hooks, the system gitconfig or the pinned
 * ~/.gitconfig; `git -c user.name=` changing the author while the identity is pinned.
 * Not prevented (documented, pinned here): a per-command `git -c core.hooksPath=...` (or
 * GIT_CONFIG_* variables) skips the hooks, and the agent may set GIT_AUTHOR_* itself; git runs as
 * the agent, so only the host side (branch protection on the remote) can close that.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[git]
name = "Pinned Person"
email = "pinned@example.com"
readonly = true
`;

const MESSAGE = String.raw`feat\n\nBody.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>`;

const PROBE = String.raw`
r() { "$@" >/dev/null 2>&1; echo $?; }
cd /tmp && git init -q -b main repo && cd repo
echo "first=$(r git commit --allow-empty -m first)"
echo "bypass=$(r git -c core.hooksPath=/dev/null commit --allow-empty -m base)"
echo "main=$(r git commit --allow-empty -m again)"
echo "noverify=$(r git commit --no-verify --allow-empty -m again)"
git switch -q -c feature
echo "branch=$(r git commit --allow-empty -m "$(printf '${MESSAGE}')")"
echo "claude_lines=$(git log -1 --format=%B | grep -ci claude)"
echo "body=$(git log -1 --format=%B | tr '\n' '|')"
echo "move=$(r git branch -f main feature)"
echo "reset=$(git switch -q main && r git reset --hard feature; git switch -q feature)"
git init -q --bare /tmp/remote.git && git remote add origin /tmp/remote.git
echo "push_main=$(r git push origin feature:main)"
echo "push_branch=$(r git push origin feature)"
echo "identity=$(git log -1 --format='%an <%ae>|%cn <%ce>')"
git -c user.name=Evil -c user.email=evil@example.com commit -q --allow-empty -m c
echo "dash_c_identity=$(git log -1 --format='%an <%ae>')"
echo "rm_hooks=$(r rm -rf /etc/coi/git-hooks)"
echo "edit_hook=$(r sh -c 'echo exit 0 > /etc/coi/git-hooks/pre-commit')"
echo "system_config=$(r git config --system core.hooksPath /tmp)"
echo "global_config=$(r git config --global user.name Other)"
echo "rm_gitconfig=$(r rm -f ~/.gitconfig)"
echo "hooks_path=$(git config core.hooksPath)"
echo "user=$(id -un)"
`;

let box: CoiSandbox;

sandboxForFile(CONFIG, (b) => (box = b));

function parse(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('git guards inside the container', () => {
  it('refuse protected branches, strip attribution, pin the identity, resist the code user', async () => {
    const result = await box.run(['run', PROBE], { cwd: box.workspace('git-guards') });
    expect(result.code, result.stderr).toBe(0);
    const p = parse(result.stdout);
    expect(p.user).toBe('code');
    expect(p.first).toBe('1');
    expect(p.bypass).toBe('0');
    expect(p.main).toBe('1');
    expect(p.noverify).not.toBe('0');
    expect(p.branch).toBe('0');
    expect(p.claude_lines).toBe('0');
    // %B ends with the message's newline, git log adds one.
    expect(p.body).toBe('feat||Body.||');
    expect(p.move).not.toBe('0');
    expect(p.reset).not.toBe('0');
    expect(p.push_main).not.toBe('0');
    expect(p.push_branch).toBe('0');
    expect(p.identity).toBe(
      'Pinned Person <pinned@example.com>|Pinned Person <pinned@example.com>',
    );
    expect(p.dash_c_identity).toBe('Pinned Person <pinned@example.com>');
    expect(p.rm_hooks).not.toBe('0');
    expect(p.edit_hook).not.toBe('0');
    expect(p.system_config).not.toBe('0');
    expect(p.global_config).not.toBe('0');
    expect(p.rm_gitconfig).not.toBe('0');
    expect(p.hooks_path).toBe('/etc/coi/git-hooks');
  });
});
