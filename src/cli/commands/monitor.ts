import type { Command } from 'commander';

export interface MonitorFlags {
  watch?: string;
  format?: string;
  json?: boolean;
  daemon?: boolean;
}

export function registerMonitor(program: Command): void {
  program
    .command('monitor')
    .description(
      'security snapshot of a container (network, processes, I/O, recent threats); --daemon: run the monitor',
    )
    .argument('[container]', 'container name (default: every running coi container)')
    .option('--watch <seconds>', 'refresh every N seconds')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .option('--daemon', 'run the host monitor daemon in the foreground (one per user)')
    .action(async (name: string | undefined, flags: MonitorFlags) =>
      (await import('./monitor-action.js')).monitorAction(name, flags),
    );
}
