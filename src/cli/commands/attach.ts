import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { codeUidOf } from '../../core/container/code-uid.js';
import { listCoiContainers } from '../../core/container/list.js';
import type { CoiContainer } from '../../shared/coi-container.js';
import { codeHome } from '../../shared/instance-keys.js';
import { tmuxSessionName } from '../../shared/naming.js';
import { attachTerminal } from '../../core/session/attach.js';
import { hasTmuxSession } from '../../core/session/tmux.js';
import { sanitizeTerm } from '../../core/session/environment.js';
import { withContext } from '../context.js';
import { CliError, usageError } from '../errors.js';
import { slotFlag } from '../session-options.js';

export function registerAttach(program: Command): void {
  program
    .command('attach')
    .description("attach to a session's tmux (no name: the only session, or a choice)")
    .argument('[container]', 'container name')
    .option('-w, --workspace <dir>', 'workspace (with --slot)', '.')
    .option('--slot <n>', "this workspace's slot")
    .option('--bash', 'open bash instead of the tmux session')
    .action(
      async (
        name: string | undefined,
        flags: { workspace?: string; slot?: string; bash?: boolean },
      ) => {
        if (!process.stdin.isTTY) throw usageError('coi attach needs a terminal');
        await withContext({ workspace: flags.workspace }, async (ctx) => {
          const running = (await listCoiContainers(ctx.incus, ctx.prefix)).filter(
            (c) => c.status === 'Running',
          );
          const slot = slotFlag(flags);
          const target = name
            ? running.find((c) => c.name === name)
            : slot !== undefined
              ? running.find((c) => c.workspace === ctx.workspace && c.slot === slot)
              : await choose(running);
          if (!target) {
            throw new CliError(
              name
                ? `container ${name} not found or not running (see \`coi list\`)`
                : 'No active sessions',
            );
          }
          const uid = await codeUidOf(ctx.incus, target);
          if (!flags.bash && !(await hasTmuxSession(ctx.incus, target.name, uid))) {
            throw new CliError(
              `${target.name} has no tmux session ${tmuxSessionName(target.name)}; use \`coi attach ${target.name} --bash\``,
            );
          }
          const env = {
            TERM: sanitizeTerm(process.env.TERM),
            HOME: codeHome(target.codeUser),
            USER: target.codeUser,
          };
          const command = flags.bash
            ? ['bash', '-l']
            : ['tmux', 'attach', '-t', tmuxSessionName(target.name)];
          process.stderr.write(`Attaching to ${target.name}...\n`);
          await attachTerminal(ctx.incus, target.name, command, { uid, env });
        });
      },
    );
}

async function choose(running: CoiContainer[]): Promise<CoiContainer | undefined> {
  if (running.length <= 1) return running[0];
  running.forEach((c, i) =>
    process.stderr.write(`  ${i + 1}) ${c.name}  slot ${c.slot}  ${c.workspace}\n`),
  );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = Number(await rl.question(`Attach to which session [1-${running.length}]? `));
    return running[answer - 1];
  } finally {
    rl.close();
  }
}
