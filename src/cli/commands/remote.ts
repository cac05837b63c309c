import type { Command } from 'commander';
import { addFormatOptions } from '../options/format.js';

export interface RemoteListFlags {
  format?: string;
  json?: boolean;
}

const action = () => import('./remote-action.js');

export function registerRemote(program: Command): void {
  const remote = program
    .command('remote')
    .description('the Incus remotes of the incus client configuration (`incus remote add`)');
  addFormatOptions(
    remote
      .command('list')
      .description(
        'the remotes, the default one, and whether each answers (in parallel, 3 s each)',
      ),
  ).action(async (flags: RemoteListFlags) => (await action()).remoteListAction(flags));
}
