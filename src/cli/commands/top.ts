import type { Command } from 'commander';
import { homedir } from 'node:os';
import type { TopFlags, TopOptions } from '../../core/top/options.js';
import type { TopContext } from '../../core/top/top.js';
import { withContext } from '../context.js';

export function registerTop(program: Command): void {
  program
    .command('top')
    .description(
      'CPU, memory, disk and network use per running container, or per process (host PIDs), ' +
        'sampled from host cgroups and /proc; CPU% is of one core (200% = two cores busy)',
    )
    .argument('[container]', 'a container name or alias: its processes')
    .option('-i, --interval <seconds>', 'seconds to sample CPU and I/O rates over', '2')
    .option('--sort <key>', 'cpu, mem, disk or net (containers); cpu or mem (processes)', 'cpu')
    .option('--procs', 'processes instead of containers (of every container unless one is named)')
    .option('--json', 'print JSON')
    .option('--watch <seconds>', 'redraw every N seconds until Ctrl+C (0: once)', '0')
    .action(async (name: string | undefined, flags: TopFlags) => {
      const [{ parseTopOptions }, { topPass }] = await Promise.all([
        import('../../core/top/options.js'),
        import('../../core/top/top.js'),
      ]);
      const opts = parseTopOptions(name, flags);
      await withContext({}, async (ctx) => {
        const top = { incus: ctx.incus, prefix: ctx.prefix, home: homedir() };
        if (opts.watchSeconds === 0) process.stdout.write(await topPass(top, opts));
        else await watch(top, opts);
      });
    });
}

/** Redraws until SIGINT or SIGTERM, which also cut short the sampling under way. */
async function watch(top: TopContext, opts: TopOptions): Promise<void> {
  const [{ topPass }, { formatClock }, { setTimeout: sleep }] = await Promise.all([
    import('../../core/top/top.js'),
    import('../../ui/format/units.js'),
    import('node:timers/promises'),
  ]);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const pause = (ms: number) =>
    sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);
  try {
    while (!stop.signal.aborted) {
      const out = await topPass({ ...top, sleep: pause }, opts).catch((err: Error) => {
        process.stderr.write(`Error: ${err.message}\n`);
        return '';
      });
      if (stop.signal.aborted) break;
      process.stdout.write(
        `\x1b[2J\x1b[H${out}\nLast updated: ${formatClock(Date.now())} | ` +
          `refresh every ${opts.watchSeconds}s | Press Ctrl+C to exit\n`,
      );
      await pause(opts.watchSeconds * 1000);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
