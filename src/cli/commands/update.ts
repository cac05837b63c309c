import type { Command } from 'commander';

export interface UpdateFlags {
  check?: boolean;
  force?: boolean;
  source?: string;
  dryRun?: boolean;
}

const action = () => import('./update-action.js');

export function registerUpdate(program: Command): void {
  const update = program
    .command('update')
    .description('update coi itself, then its detection pattern database (GTFOBins)')
    .option('-f, --force', 'update a development checkout, or install without asking')
    // A word that is neither subcommand gets commander's answer for groups, with a did-you-mean.
    .allowExcessArguments()
    .action(async (flags: UpdateFlags, cmd: Command) => {
      if (cmd.args.length > 0) (cmd as Command & { unknownCommand(): never }).unknownCommand();
      await (await action()).updateAllAction(flags);
    });
  update
    .command('core')
    .description(
      'update coi itself: an npm install from the npm registry, a git checkout from its upstream branch',
    )
    .option('--check', 'only say whether an update is available')
    .option('-f, --force', 'update a development checkout, or install without asking')
    .action(async (flags: UpdateFlags) => (await action()).updateCoreAction(flags));
  update
    .command('patterns')
    .description(
      'fetch the GTFOBins database into ~/.coi/gtfobins for the monitor daemon (kept as it was if the fetch fails)',
    )
    .option(
      '--source <url>',
      'git URL or path to fetch it from (default: the last one, else GTFOBins)',
    )
    .option('--dry-run', 'print the git commands instead of running them')
    .action(async (flags: UpdateFlags) => (await action()).updatePatternsAction(flags));
}
