import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  ConfigError,
  effectiveEntries,
  listProfiles,
  loadConfig,
  type EffectiveEntry,
  type ProfileLocation,
} from '../config/index.js';
import { displayPath } from '../config/paths.js';
import { PROFILE_NAME } from '../config/schema.js';
import { CoiError } from '../../shared/errors.js';
import { homeOf, profileFile, type ProfileContext, type ProfileScope } from './scope.js';

export class ProfileAdminError extends CoiError {}

export interface ProfileSummary {
  name: string;
  /** `(built-in)` or the file, `~`-shortened. */
  source: string;
  scope: ProfileLocation['scope'];
  image: string | null;
  persistent: boolean | null;
  inherits: string[];
  /** Set when the profile does not load. */
  error?: string;
}

/**
 * Every profile with the image and persistence it results in. `default` is the built-in
 * profile of the merged configuration without any profile; `hardened` is shipped with coi.
 */
export function profileSummaries(ctx: ProfileContext): ProfileSummary[] {
  const home = homeOf(ctx);
  const summaries: ProfileSummary[] = [summarize('default', 'built-in', '(built-in)', ctx)];
  for (const p of listProfiles({ home, workspace: ctx.workspace })) {
    const source = p.scope === 'built-in' ? '(built-in)' : displayPath(p.file, home);
    summaries.push(summarize(p.name, p.scope, source, ctx));
  }
  return summaries;
}

function summarize(
  name: string,
  scope: ProfileSummary['scope'],
  source: string,
  ctx: ProfileContext,
): ProfileSummary {
  try {
    const loaded = loadConfig({
      cwd: ctx.workspace,
      home: homeOf(ctx),
      ...(scope === 'built-in' && name === 'default' ? {} : { profile: name }),
    });
    return {
      name,
      source,
      scope,
      image: loaded.config.container.image,
      persistent: loaded.config.container.persistent,
      inherits: (loaded.profile?.chain ?? []).slice(0, -1).map((l) => l.name),
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { name, source, scope, image: null, persistent: null, inherits: [], error: err.message };
  }
}

/** The effective config a profile gives, key by key with the layer that set it. */
export function profileEntries(name: string, ctx: ProfileContext): EffectiveEntry[] {
  const loaded = loadConfig({
    cwd: ctx.workspace,
    home: homeOf(ctx),
    ...(name === 'default' ? {} : { profile: name }),
  });
  return effectiveEntries(loaded.config, loaded.origins);
}

/**
 * Creates `config.toml` of a new profile in `~/.coi/profiles/<name>/` (scope user, the default)
 * or `./.coi/profiles/<name>/` (project), optionally inheriting from another profile.
 */
export async function createProfile(
  name: string,
  ctx: ProfileContext,
  opts: { inherits?: string; scope?: ProfileScope } = {},
): Promise<string> {
  if (!PROFILE_NAME.test(name))
    throw new ProfileAdminError(
      `profile name ${JSON.stringify(name)} is not valid: letters, digits, ".", "_" and "-", at most 64`,
      'usage',
    );
  if (name === 'default')
    throw new ProfileAdminError('"default" is the built-in profile and cannot be created', 'usage');
  const home = homeOf(ctx);
  const existing = listProfiles({ home, workspace: ctx.workspace });
  // A profile of a built-in's name replaces it.
  if (existing.some((p) => p.name === name && p.scope !== 'built-in'))
    throw new ProfileAdminError(`profile "${name}" already exists (\`coi profile show ${name}\`)`);
  if (opts.inherits && !existing.some((p) => p.name === opts.inherits)) {
    throw new ProfileAdminError(
      `--inherits: no profile "${opts.inherits}" (existing: ${existing.map((p) => p.name).join(', ') || 'none'})`,
    );
  }
  const file = profileFile(name, opts.scope ?? 'user', ctx);
  await mkdir(dirname(file), { recursive: true });
  const lines = [
    `# coi profile "${name}": any key of config.toml; unset keys come from the layers below.`,
    '# `coi profile show ' +
      name +
      '` prints the effective result and where each value comes from.',
    ...(opts.inherits ? [`inherits = "${opts.inherits}"`] : []),
    '',
    '# [container]',
    '# image = "coi-default"',
    '',
  ];
  await writeFile(file, lines.join('\n'), { flag: 'wx' });
  return file;
}

/**
 * The profile `delete` would remove, after checking it may go: not the built-in one, not one
 * others inherit from. Without `scope` only a user profile is taken: a workspace's profiles are
 * usually committed with it, so deleting one takes `project`.
 */
export function deletableProfile(
  name: string,
  ctx: ProfileContext,
  scope?: ProfileScope,
): ProfileLocation {
  if (name === 'default')
    throw new ProfileAdminError('"default" is built in and cannot be deleted', 'usage');
  const home = homeOf(ctx);
  const all = listProfiles({ home, workspace: ctx.workspace });
  const found = all.filter((p) => p.name === name);
  if (found[0]?.scope === 'built-in') throw builtInProfile(name, 'deleted');
  const wanted = scope === 'project' ? 'workspace' : 'user';
  const target = found.find((p) => p.scope === wanted);
  if (!target) {
    const elsewhere = found[0];
    throw new ProfileAdminError(
      elsewhere
        ? `profile "${name}" is not a ${scope ?? 'user'} profile: it lives in ${displayPath(elsewhere.dir, home)} (${elsewhere.scope === 'workspace' ? '--project' : '--user'} deletes it)`
        : `no profile "${name}" (\`coi profile list\` shows them)`,
    );
  }
  const dependants = all.filter((p) => {
    const s = summarize(p.name, p.scope, '', ctx);
    return p.name !== name && s.inherits.includes(name);
  });
  if (dependants.length)
    throw new ProfileAdminError(
      `profile "${name}" is inherited by ${dependants.map((p) => p.name).join(', ')}; change those first`,
    );
  return target;
}

/** A profile shipped with coi, which has no file of the user's to change. */
export function builtInProfile(name: string, what: 'deleted' | 'edited'): ProfileAdminError {
  return new ProfileAdminError(
    `"${name}" is built in and cannot be ${what}; make your own with \`coi profile create my-${name} --inherits ${name}\`, or replace it with \`coi profile create ${name}\``,
    'usage',
  );
}

/** Deletes a profile's directory (see `deletableProfile`); returns it. */
export async function deleteProfile(profile: ProfileLocation): Promise<string> {
  await rm(profile.dir, { recursive: true, force: true });
  return profile.dir;
}
