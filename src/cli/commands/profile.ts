import type { Command } from 'commander';
import type { EffectiveEntry } from '../../core/config/index.js';
import {
  createProfile,
  deleteProfile,
  profileEntries,
  profileSummaries,
} from '../../core/profile/admin.js';
import { workspacePath } from '../context.js';
import { outputFormat, printJson } from '../output.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
const formatFlags = (cmd: Command) =>
  cmd.option('--format <format>', 'text or json', 'text').option('--json', 'same as --format json');

/** `key = value   # source` lines, or JSON entries with their origin. */
export function printEntries(entries: EffectiveEntry[], format: 'text' | 'json'): void {
  if (format === 'json') {
    printJson(
      entries.map((e) => ({ key: e.key, value: e.value, source: e.origin?.source ?? null })),
    );
    return;
  }
  const shown = entries.map((e) => [
    `${e.key} = ${JSON.stringify(e.value)}`,
    e.origin?.source ?? 'unset',
  ]);
  const width = Math.min(70, Math.max(...shown.map(([l]) => l!.length)));
  process.stdout.write(shown.map(([l, s]) => `${l!.padEnd(width)}  # ${s}`).join('\n') + '\n');
}

export function registerProfile(program: Command): void {
  const profile = program.command('profile').description('list, show, create and delete profiles');

  formatFlags(profile.command('list').description('list the profiles')).action(
    (flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const summaries = profileSummaries({ workspace: workspacePath(undefined) });
      if (format === 'json') return printJson(summaries);
      const rows = summaries.map((s) => [
        s.name,
        s.image ?? '(invalid)',
        s.persistent === null ? '-' : String(s.persistent),
        s.source,
      ]);
      const head = ['NAME', 'IMAGE', 'PERSISTENT', 'SOURCE'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [head, ...rows])
        process.stdout.write(
          `${r
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd()}\n`,
        );
      for (const s of summaries) if (s.error) say(`Warning: profile ${s.name}: ${s.error}`);
    },
  );

  formatFlags(
    profile
      .command('show')
      .alias('info')
      .description('the effective config of a profile and where each value comes from')
      .argument('<name>', 'profile name (default: the built-in one)'),
  ).action((name: string, flags: { format?: string; json?: boolean }) => {
    const format = outputFormat(flags);
    printEntries(profileEntries(name, { workspace: workspacePath(undefined) }), format);
  });

  profile
    .command('create')
    .description('create ~/.coi/profiles/NAME/config.toml')
    .argument('<name>', 'profile name')
    .option('--inherits <parent>', 'profile to build on')
    .action(async (name: string, flags: { inherits?: string }) => {
      const file = await createProfile(name, { workspace: workspacePath(undefined) }, flags);
      say(`Created profile ${name}: ${file}`);
    });

  profile
    .command('delete')
    .description('delete a user profile')
    .argument('<name>', 'profile name')
    .action(async (name: string) => {
      const dir = await deleteProfile(name, { workspace: workspacePath(undefined) });
      say(`Deleted profile ${name} (${dir})`);
    });
}
