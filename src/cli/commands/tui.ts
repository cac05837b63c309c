import type { Command } from 'commander';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import { importInteractive } from '../tui/interactive-ink.js';

export function registerTui(program: Command): void {
  program
    .command('tui')
    .description('full-screen control room: workspaces, slots, live alerts, embedded terminal')
    .action(async () => {
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw usageError('coi tui needs a terminal (stdin and stdout must be a tty)');
      }
      // React reads NODE_ENV when first loaded: the UI is imported only now, in production mode.
      process.env.NODE_ENV ??= 'production';
      const { runTui } = await importInteractive(() => import('../tui/run-tui.js'));
      await withContext({}, (ctx) => runTui(ctx));
    });
}
