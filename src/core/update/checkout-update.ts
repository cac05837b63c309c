import { CoiError } from '../../shared/errors.js';
import { run } from '../../shared/run.js';
import type { CoreUpdate, Install } from './install.js';

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0' };

/** The steps that update a checkout in place, as shown and as run. */
const STEPS: ReadonlyArray<readonly [string, string[]]> = [
  ['git', ['pull', '--ff-only']],
  ['npm', ['ci']],
  ['npm', ['run', 'build']],
];
const STEPS_TEXT = STEPS.map(([cmd, args]) => [cmd, ...args].join(' ')).join(' && ');

/**
 * `coi update core` of a git checkout (a development install): `--check` compares HEAD with its
 * upstream branch after a fetch; the update is a fast-forward pull, `npm ci` and a build, and
 * only with `--force` — as the Go coi's development builds, a checkout may carry the user's own
 * work.
 */
export async function updateCheckout(install: Install, opts: CoreUpdate): Promise<void> {
  const { say } = opts;
  const { root } = install;
  const git = (...args: string[]) => run('git', ['-C', root, ...args], { env: GIT_ENV });
  const head = (await git('rev-parse', '--short', 'HEAD')).trim();
  say(`Current version: v${install.version} (development checkout at ${root}, ${head})`);
  if (!opts.force && !opts.check) {
    say('', 'Warning: a development checkout is updated from git, not replaced by a release.');
    say(`Use --force to run ${STEPS_TEXT} in ${root}.`);
    return;
  }
  const upstream = await git('rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}')
    .then((s) => s.trim())
    .catch(() => {
      throw new CoiError(
        `the checkout at ${root} has no upstream branch to update from; set one with \`git -C ${root} branch --set-upstream-to <remote>/<branch>\``,
      );
    });
  await git('fetch', '--quiet').catch((err: Error) => {
    throw new CoiError(`failed to check for updates: ${err.message}`);
  });
  const behind = Number((await git('rev-list', '--count', `HEAD..${upstream}`)).trim());
  const latest = (await git('rev-parse', '--short', upstream)).trim();
  say(`Latest:          ${upstream} at ${latest}`);
  if (behind === 0) {
    say('', 'You are already on the latest version.');
    return;
  }
  const commits = `${behind} new commit${behind === 1 ? '' : 's'}`;
  if (opts.check) {
    say('', `Update available: ${commits} on ${upstream}`);
    return;
  }
  for (const [cmd, args] of STEPS) {
    say(`Running: ${[cmd, ...args].join(' ')}`);
    await run(cmd, cmd === 'git' ? ['-C', root, ...args] : ['--prefix', root, ...args], {
      env: GIT_ENV,
      onLine: say,
    });
  }
  say('', `Successfully updated ${root} to ${(await git('rev-parse', '--short', 'HEAD')).trim()}`);
}
