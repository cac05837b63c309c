import type { Command } from 'commander';
import type { ProfileScope } from '../../core/profile/scope.js';
import { workspacePath } from '../context.js';
import { usageError } from '../errors.js';
import { outputFormat, printJson } from '../output.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
interface ScopeFlags {
  user?: boolean;
  project?: boolean;
}

function scopeOf(flags: ScopeFlags): ProfileScope | undefined {
  if (flags.user && flags.project)
    throw usageError('--user and --project are mutually exclusive: a profile lives in one place');
  return flags.project ? 'project' : flags.user ? 'user' : undefined;
}

const formatFlags = (cmd: Command) =>
  cmd.option('--format <format>', 'text or json', 'text').option('--json', 'same as --format json');

export function registerProfile(program: Command): void {
  const profile = program
    .command('profile')
    .description('list, show, create, edit and delete profiles');

  formatFlags(profile.command('list').description('list the profiles')).action(
    async (flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ profileSummaries }, { formatTable }] = await Promise.all([
        import('../../core/profile/admin.js'),
        import('../table.js'),
      ]);
      const summaries = profileSummaries({ workspace: workspacePath(undefined) });
      if (format === 'json') return printJson(summaries);
      const rows = summaries.map((s) => [
        s.name,
        s.image ?? '(invalid)',
        s.persistent === null ? '-' : String(s.persistent),
        s.source,
      ]);
      process.stdout.write(`${formatTable(['NAME', 'IMAGE', 'PERSISTENT', 'SOURCE'], rows)}\n`);
      for (const s of summaries) if (s.error) say(`Warning: profile ${s.name}: ${s.error}`);
    },
  );

  formatFlags(
    profile
      .command('show')
      .alias('info')
      .description('the effective config of a profile and where each value comes from')
      .argument('<name>', 'profile name (default: the built-in one)'),
  ).action(async (name: string, flags: { format?: string; json?: boolean }) => {
    const format = outputFormat(flags);
    const [{ profileEntries }, { printEntries }] = await Promise.all([
      import('../../core/profile/admin.js'),
      import('../views/config-entries.js'),
    ]);
    printEntries(profileEntries(name, { workspace: workspacePath(undefined) }), format);
  });

  profile
    .command('create')
    .description(
      'create a profile’s config.toml; NAME "default" writes a commented starter main config instead',
    )
    .argument('<name>', 'profile name')
    .option('--inherits <parent>', 'profile to build on')
    .option('--user', 'in ~/.coi/ (the default)')
    .option('--project', 'in the workspace’s ./.coi/ (untrusted, like its config)')
    .action(async (name: string, flags: ScopeFlags & { inherits?: string }) => {
      const scope = scopeOf(flags);
      const [{ createProfile }, { createMainConfig }] = await Promise.all([
        import('../../core/profile/admin.js'),
        import('../../core/profile/starter-config.js'),
      ]);
      const ctx = { workspace: workspacePath(undefined) };
      if (name === 'default') {
        if (flags.inherits)
          throw usageError(
            '--inherits does not apply to "default": it writes the main config, which inherits from nothing',
          );
        const file = await createMainConfig(ctx, scope ?? 'user');
        say(`Created main config at ${file}`);
        say('It overrides nothing yet — uncomment and edit lines to customize.');
        return;
      }
      const file = await createProfile(name, ctx, { inherits: flags.inherits, scope });
      say(`Created profile ${name}: ${file}`);
    });

  profile
    .command('edit')
    .description(
      'open a profile’s config.toml in $VISUAL, $EDITOR or vi; it is replaced only when the edit is valid',
    )
    .argument('<name>', 'profile name')
    .action(async (name: string) => {
      const [{ editProfile }, { userEditor }] = await Promise.all([
        import('../../core/profile/edit.js'),
        import('../editor.js'),
      ]);
      const outcome = await editProfile(
        name,
        { workspace: workspacePath(undefined) },
        userEditor(),
        (draft) => say(`Continuing the edit kept in ${draft}`),
      );
      say(
        outcome.status === 'updated'
          ? `Updated profile ${name}: ${outcome.file}`
          : `Profile ${name} unchanged.`,
      );
    });

  profile
    .command('delete')
    .description('delete a user profile (--project: a workspace one); asks first unless --force')
    .argument('<name>', 'profile name')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--user', 'the one in ~/.coi/profiles/ (the default)')
    .option('--project', 'the one in the workspace’s ./.coi/profiles/')
    .action(async (name: string, flags: ScopeFlags & { force?: boolean }) => {
      const [{ deletableProfile, deleteProfile }, { confirmOrForce }] = await Promise.all([
        import('../../core/profile/admin.js'),
        import('../confirm.js'),
      ]);
      const target = deletableProfile(
        name,
        { workspace: workspacePath(undefined) },
        scopeOf(flags),
      );
      if (!(await confirmOrForce(`Delete profile ${name} (${target.dir})?`, flags.force))) {
        say('Aborted.');
        return;
      }
      await deleteProfile(target);
      say(`Deleted profile ${name} (${target.dir})`);
    });
}
