import type { Command } from 'commander';
import { withContext } from '../context.js';
import { outputFormat, printJson } from '../output.js';

const tmuxControl = () => import('../../core/session/tmux-control.js');

export function registerTmux(program: Command): void {
  const tmux = program
    .command('tmux')
    .description('drive the tmux session coi-<container> of a running container');
  tmux
    .command('list')
    .description('list the coi tmux sessions')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const { listTmuxSessions } = await tmuxControl();
      await withContext({}, async (ctx) => {
        const sessions = await listTmuxSessions(ctx.incus, ctx.prefix);
        if (format === 'json') return printJson(sessions);
        if (sessions.length === 0) return void process.stdout.write('No tmux sessions.\n');
        for (const s of sessions)
          process.stdout.write(
            `${s.session}  ${s.attached ? 'attached' : 'detached'}  windows: ${s.windows}  since ${s.created}\n`,
          );
      });
    });
  tmux
    .command('send')
    .description('type text into the session and press Enter')
    .argument('<container>', 'container name')
    .argument('<text>', 'text to type')
    .action(async (container: string, text: string) => {
      const { sendToSession } = await tmuxControl();
      await withContext({}, (ctx) => sendToSession(ctx.incus, container, text));
    });
  tmux
    .command('capture')
    .description('print what the session shows')
    .argument('<container>', 'container name')
    .action(async (container: string) => {
      const { captureSession } = await tmuxControl();
      await withContext({}, async (ctx) => {
        process.stdout.write(await captureSession(ctx.incus, container));
      });
    });
}
