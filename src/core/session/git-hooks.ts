/**
 * The git hooks coi installs root-owned in the container (core.hooksPath in /etc/gitconfig), as
 * POSIX sh scripts. core.hooksPath replaces the repository's hooks directory, so every hook here
 * ends by running the repository's own hook of the same name, with the same arguments and input.
 */

export const GIT_HOOKS_DIR = '/etc/coi/git-hooks';
/** Beside the hooks: one protected branch name a line. */
export const PROTECTED_BRANCHES_FILE = 'protected-branches';
/** Beside the hooks: one `grep -E` pattern a line; message lines matching any are removed. */
export const ATTRIBUTION_PATTERNS_FILE = 'attribution-patterns';

/** Hooks that only hand over to the repository's own. */
const DELEGATED = [
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'prepare-commit-msg',
  'post-commit',
  'pre-merge-commit',
  'pre-rebase',
  'post-checkout',
  'post-merge',
  'post-rewrite',
  'push-to-checkout',
  'pre-auto-gc',
  'sendemail-validate',
];

const PROLOGUE = `#!/bin/sh
# Installed by coi (root-owned): edits here are refused, the repository's own hook still runs.
own="$(git rev-parse --git-common-dir 2>/dev/null)/hooks/\${0##*/}"
branches="\${0%/*}/${PROTECTED_BRANCHES_FILE}"
patterns="\${0%/*}/${ATTRIBUTION_PATTERNS_FILE}"
protected() { [ -f "$branches" ] && grep -qxF -- "$1" "$branches"; }
refuse() { echo "coi: $1 refused: '$2' is a protected branch ([git] protected_branches); work on a branch (git switch -c <name>) and open a pull request" >&2; exit 1; }`;

/** Runs the repository's hook when there is one, with the given input on stdin. */
const CHAIN_WITH_INPUT = `if [ -x "$own" ]; then printf '%s' "$input" | "$own" "$@"; else exit 0; fi`;
const CHAIN = `if [ -x "$own" ]; then exec "$own" "$@"; fi`;

/** Refuses a commit while HEAD is on a protected branch (also the first commit of a repository). */
const PRE_COMMIT = `branch=$(git symbolic-ref --short -q HEAD) || branch=
if [ -n "$branch" ] && protected "$branch"; then refuse "commit" "$branch"; fi
${CHAIN}`;

/**
 * Refuses moving or deleting an existing protected branch, whatever moves it (commit --no-verify,
 * reset, branch -f, merge, rebase, update-ref); creating one (a clone) is left alone.
 */
const REFERENCE_TRANSACTION = `input=$(cat; echo .); input=\${input%.}
if [ "$1" = prepared ]; then
  printf '%s' "$input" | while read -r old new ref; do
    case "$ref" in refs/heads/*) ;; *) continue ;; esac
    branch=\${ref#refs/heads/}
    if protected "$branch" && git rev-parse -q --verify "$ref" >/dev/null; then refuse "moving a branch" "$branch"; fi
  done || exit 1
fi
${CHAIN_WITH_INPUT}`;

/** Refuses pushing to a protected branch of the remote. */
const PRE_PUSH = `input=$(cat; echo .); input=\${input%.}
printf '%s' "$input" | while read -r local_ref local_oid remote_ref remote_oid; do
  case "$remote_ref" in refs/heads/*) ;; *) continue ;; esac
  branch=\${remote_ref#refs/heads/}
  if protected "$branch"; then refuse "push" "$branch"; fi
done || exit 1
${CHAIN_WITH_INPUT}`;

/** Removes attribution lines from the message; it never rejects a commit by itself. */
const COMMIT_MSG = `if [ -s "$patterns" ] && [ -f "$1" ]; then
  kept=$(grep -Ev -f "$patterns" -- "$1"; rc=$?; echo .; [ $rc -le 1 ]) &&
    printf '%s' "\${kept%.}" > "$1"
fi
${CHAIN}`;

export interface GitHookFile {
  name: string;
  content: string;
}

/** Every hook script of the hooks directory. */
export function gitHookScripts(): GitHookFile[] {
  const all: Record<string, string> = {
    'pre-commit': PRE_COMMIT,
    'reference-transaction': REFERENCE_TRANSACTION,
    'pre-push': PRE_PUSH,
    'commit-msg': COMMIT_MSG,
    ...Object.fromEntries(DELEGATED.map((name) => [name, CHAIN])),
  };
  return Object.entries(all).map(([name, body]) => ({
    name,
    content: `${PROLOGUE}\n${body}\n`,
  }));
}
