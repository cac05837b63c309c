import type { Command } from 'commander';
import type { CoiContainer } from '../../shared/coi-container.js';
import { tmuxSessionName } from '../../shared/naming.js';
import { withContext } from '../context.js';
import { CliError, usageError } from '../errors.js';
import { globalOptions } from '../options/global.js';

interface AttachFlags {
  workspace?: string;
  slot?: number;
  bash?: boolean;
}

export function registerAttach(program: Command): void {
  program
    .command('attach')
    .description(
      "attach to a session's tmux (no name: the only session, or the list to choose from)",
    )
    .argument('[container]', 'container name, or alias ([container] alias; ALIAS-N for slot N)')
    .addOption(globalOptions.workspace('workspace (with --slot)'))
    .addOption(globalOptions.slot("this workspace's slot"))
    .option('--bash', 'open bash instead of the tmux session')
    .action(async (name: string | undefined, flags: AttachFlags) => {
      const [
        { codeUidOf },
        { listCoiContainers },
        { attachLoginShell, attachTmux, enteringEnv },
        tmux,
      ] = await Promise.all([
        import('../../core/container/code-uid.js'),
        import('../../core/container/list.js'),
        import('../../core/session/attach.js'),
        import('../../core/session/tmux.js'),
      ]);
      await withContext({ workspace: flags.workspace }, async (ctx) => {
        const running = (await listCoiContainers(ctx.incus, ctx.prefix)).filter(
          (c) => c.status === 'Running',
        );
        const target = name
          ? byNameOrAlias(running, name)
          : flags.slot !== undefined
            ? running.find((c) => c.workspace === ctx.workspace && c.slot === flags.slot)
            : await choose(running);
        if (target === null) return;
        if (!target) {
          throw new CliError(
            name
              ? `container ${name} not found or not running (see \`coi list\`: a container name or its alias)`
              : 'No active sessions',
          );
        }
        const uid = await codeUidOf(ctx.incus, target);
        if (!flags.bash && !(await tmux.hasTmuxSession(ctx.incus, target.name, uid))) {
          throw new CliError(
            `${target.name} has no tmux session ${tmuxSessionName(target.name)}; use \`coi attach ${target.name} --bash\``,
          );
        }
        if (!process.stdin.isTTY) {
          throw usageError(`coi attach needs a terminal to attach to ${target.name}`);
        }
        const env = enteringEnv(target.codeUser);
        process.stderr.write(`Attaching to ${target.name}...\n`);
        if (flags.bash)
          await attachLoginShell(ctx.incus, target.name, target.codeUser, { uid, env });
        else await attachTmux(ctx.incus, target.name, { uid, env });
      });
    });
}

/**
 * The running container of that name, else of that alias (`ALIAS-N`: its slot N); an alias of
 * several running slots must say which.
 */
function byNameOrAlias(running: CoiContainer[], name: string): CoiContainer | undefined {
  const exact = running.find((c) => c.name === name);
  if (exact) return exact;
  const aliased = running.filter((c) => c.alias === name);
  if (aliased.length > 1) {
    throw usageError(
      `alias ${name} has ${aliased.length} running slots (${aliased.map((c) => c.name).join(', ')}): ` +
        `pick one with ${aliased.map((c) => `${name}-${c.slot}`).join(' or ')}`,
    );
  }
  if (aliased[0]) return aliased[0];
  const slotted = /^(.+)-(\d+)$/.exec(name);
  return slotted
    ? running.find((c) => c.alias === slotted[1] && c.slot === Number(slotted[2]))
    : undefined;
}

/**
 * The only session, or none; with several, the numbered list (a terminal or not), then on a
 * terminal the question which one. Null: listed, with nobody to ask.
 */
async function choose(running: CoiContainer[]): Promise<CoiContainer | undefined | null> {
  if (running.length <= 1) return running[0];
  process.stdout.write('Active sessions:\n');
  running.forEach((c, i) =>
    process.stdout.write(`  ${i + 1}. ${c.name}  (slot ${c.slot}, ${c.workspace})\n`),
  );
  if (!process.stdin.isTTY) {
    process.stdout.write('\nUse: coi attach <container-name>\n');
    return null;
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`Attach to which session [1-${running.length}]? `)).trim();
    const chosen = /^\d+$/.test(answer) ? running[Number(answer) - 1] : undefined;
    if (!chosen) throw usageError(`no session "${answer}" (pick 1 to ${running.length})`);
    return chosen;
  } finally {
    rl.close();
  }
}
