import { shellQuote } from '../../shared/shell-quote.js';
import {
  ATTRIBUTION_PATTERNS_FILE,
  GIT_HOOKS_DIR,
  PROTECTED_BRANCHES_FILE,
  gitHookScripts,
} from './git-hooks.js';

export interface GitIdentity {
  name?: string;
  email?: string;
}

export interface GitGuards {
  /** `[git] protected_branches`; empty turns the branch guard off. */
  protectedBranches: string[];
  /** `[git] strip_attribution_patterns` when strip_attribution is on. */
  attributionPatterns?: string[];
  /** `[git] readonly`: the identity as a read-only ~/.gitconfig. */
  lockedIdentity?: GitIdentity;
}

/** The file bind-mounted read-only over the code user's ~/.gitconfig. */
const LOCKED_GITCONFIG = '/etc/coi/gitconfig';

const writeFile = (path: string, content: string, mode: string) =>
  `printf '%s' ${shellQuote(content)} > ${path} && chmod ${mode} ${path}`;

const lines = (values: string[]) => values.map((v) => `${v}\n`).join('');

/**
 * Root-side shell lines that install the guards. Everything lives under the root-owned /etc/coi
 * and /etc/gitconfig, so the code user can neither edit nor remove it. Idempotent: a restarted
 * container gets the current settings.
 */
export function gitGuardsScript(guards: GitGuards, home: string): string[] {
  const out = ['mkdir -p /etc/coi && chown root:root /etc/coi && chmod 755 /etc/coi'];
  const patterns = guards.attributionPatterns ?? [];
  if (guards.protectedBranches.length > 0 || patterns.length > 0) {
    out.push(`rm -rf ${GIT_HOOKS_DIR} && mkdir -m 755 ${GIT_HOOKS_DIR}`);
    for (const hook of gitHookScripts()) {
      out.push(writeFile(`${GIT_HOOKS_DIR}/${hook.name}`, hook.content, '755'));
    }
    out.push(
      writeFile(
        `${GIT_HOOKS_DIR}/${PROTECTED_BRANCHES_FILE}`,
        lines(guards.protectedBranches),
        '644',
      ),
    );
    out.push(writeFile(`${GIT_HOOKS_DIR}/${ATTRIBUTION_PATTERNS_FILE}`, lines(patterns), '644'));
    out.push(`git config --system core.hooksPath ${GIT_HOOKS_DIR}`);
  } else {
    out.push(`rm -rf ${GIT_HOOKS_DIR}`, 'git config --system --unset-all core.hooksPath || true');
  }
  if (guards.lockedIdentity) {
    const gitconfig = `${home}/.gitconfig`;
    out.push(
      writeFile(LOCKED_GITCONFIG, lockedGitconfig(guards.lockedIdentity), '444'),
      // A bind mount: the code user owns its home, so a plain file could be renamed away.
      `if ! mountpoint -q ${gitconfig}; then [ -e ${gitconfig} ] || install -m 644 /dev/null ${gitconfig}; mount --bind ${LOCKED_GITCONFIG} ${gitconfig} && mount -o remount,bind,ro ${gitconfig}; fi`,
    );
  }
  return out;
}

function lockedGitconfig(identity: GitIdentity): string {
  const user = [
    '[user]',
    '\tuseConfigOnly = true',
    ...(identity.name ? [`\tname = ${gitconfigValue(identity.name)}`] : []),
    ...(identity.email ? [`\temail = ${gitconfigValue(identity.email)}`] : []),
  ];
  return lines(user);
}

const gitconfigValue = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** `GIT_AUTHOR_*`/`GIT_COMMITTER_*` for the session, so the identity holds without any config. */
export function gitIdentityEnv(identity: GitIdentity): Record<string, string> {
  const env: Record<string, string> = {};
  if (identity.name) env.GIT_AUTHOR_NAME = env.GIT_COMMITTER_NAME = identity.name;
  if (identity.email) env.GIT_AUTHOR_EMAIL = env.GIT_COMMITTER_EMAIL = identity.email;
  return env;
}
