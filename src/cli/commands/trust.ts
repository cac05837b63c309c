import type { Command } from 'commander';
import { addFormatOptions } from '../options/format.js';
import { globalOptions } from '../options/global.js';

export interface TrustFlags {
  workspace?: string;
  list?: boolean;
  format?: string;
  json?: boolean;
}

export function registerTrust(program: Command): void {
  addFormatOptions(
    program
      .command('trust')
      .description(
        'approve what this workspace’s .coi/ config asks of the host (mounts outside it, sockets, credentials), as the files are now',
      )
      .addOption(globalOptions.workspace('workspace whose .coi/ files are approved'))
      .option('--list', 'list the approved files: fingerprint (12 characters) and path'),
  ).action(async (flags: TrustFlags) => (await import('./trust-action.js')).trustAction(flags));
}

export function registerUntrust(program: Command): void {
  program
    .command('untrust')
    .description('revoke the approvals of this workspace’s .coi/ files (see `coi trust`)')
    .addOption(globalOptions.workspace('workspace whose approvals are revoked'))
    .action(async (flags: { workspace?: string }) =>
      (await import('./trust-action.js')).untrustAction(flags),
    );
}
