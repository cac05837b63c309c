import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigIssue, ConfigWarning } from './errors.js';
import type { HeldBack } from './held-back.js';
import { readLayerFile, type Layer, type LayerContext } from './layer.js';
import { displayPath } from './paths.js';
import { PROFILE_NAME, profileSchema, type ProfileLayer } from './schema.js';
import { BUILT_IN_PROFILES_DIR } from './sources.js';
import { nearest } from './suggest.js';
import { sanitizeUntrusted, type SanitizeContext } from './untrusted.js';

/** Longest inheritance chain, the selected profile included. */
export const MAX_PROFILE_DEPTH = 10;

export interface ProfileLocation {
  name: string;
  dir: string;
  file: string;
  /**
   * user: ~/.coi/profiles (trusted); workspace: ./.coi/profiles (untrusted); built-in: shipped
   * with coi (trusted), replaced by a profile of the same name in either directory.
   */
  scope: 'user' | 'workspace' | 'built-in';
}

export interface LoadedProfile {
  name: string;
  /** The profiles applied, root ancestor first and the selected profile last. */
  chain: ProfileLocation[];
  /** CONTEXT.md files of the chain that exist, in the same order. */
  contextFiles: string[];
}

function profileRoots(ctx: LayerContext): { dir: string; scope: ProfileLocation['scope'] }[] {
  return [
    { dir: join(ctx.home, '.coi', 'profiles'), scope: 'user' },
    { dir: join(ctx.workspace, '.coi', 'profiles'), scope: 'workspace' },
    { dir: BUILT_IN_PROFILES_DIR, scope: 'built-in' },
  ];
}

/**
 * Every profile directory holding a config.toml, user profiles first, then the workspace's, then
 * the built-in ones no directory replaces; each group sorted.
 */
export function listProfiles(ctx: LayerContext): ProfileLocation[] {
  const all = profileRoots(ctx).flatMap(({ dir, scope }) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      // No such profiles directory (the usual case for a workspace): no profiles from it.
      return [];
    }
    return names
      .filter((name) => PROFILE_NAME.test(name) && existsSync(join(dir, name, 'config.toml')))
      .map((name) => ({ name, dir: join(dir, name), file: join(dir, name, 'config.toml'), scope }));
  });
  const onDisk = new Set(all.filter((p) => p.scope !== 'built-in').map((p) => p.name));
  return all.filter((p) => p.scope !== 'built-in' || !onDisk.has(p.name));
}

/** How a profile's file is named in messages and `coi config show`. */
export function profileLabel(location: ProfileLocation, home: string): string {
  return location.scope === 'built-in'
    ? `built-in profile "${location.name}"`
    : displayPath(location.file, home);
}

type Found = { location: ProfileLocation } | { issue: ConfigIssue };

/** `requester` names where the name was asked for: the command line or a child's `inherits`. */
function locate(name: string, ctx: LayerContext, requester: { file: string; key: string }): Found {
  const all = listProfiles(ctx);
  const matches = all.filter((p) => p.name === name);
  const shown = (p: ProfileLocation) => profileLabel(p, ctx.home);
  if (matches.length === 1) return { location: matches[0]! };
  if (matches.length > 1) {
    return {
      issue: {
        ...requester,
        expected: `one profile named "${name}"`,
        got: `two: ${matches.map(shown).join(' and ')}; rename or remove one`,
      },
    };
  }
  const names = [...new Set(all.map((p) => p.name))];
  const suggestion = nearest(name, names);
  return {
    issue: {
      ...requester,
      expected: `a profile in ~/.coi/profiles/<name>/config.toml or ./.coi/profiles/<name>/config.toml (${names.length > 0 ? `found: ${names.join(', ')}` : 'none exist'})`,
      got: JSON.stringify(name),
      ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}),
    },
  };
}

export interface ProfileLayers {
  profile: LoadedProfile;
  layers: Layer[];
  warnings: ConfigWarning[];
  /** Gated settings of unapproved workspace profiles, left out of `layers`. */
  held: HeldBack[];
}

/**
 * Reads the profile `name` and its ancestors. Workspace profiles are sanitised like the
 * workspace config. Returns issues instead of layers when anything is wrong.
 */
export function profileLayers(
  name: string,
  ctx: SanitizeContext,
): { result: ProfileLayers; issues: [] } | { result: undefined; issues: ConfigIssue[] } {
  const chain: { location: ProfileLocation; layer: Layer<ProfileLayer> }[] = [];
  let requester = { file: 'command line', key: 'profile' };
  let next: string | undefined = name;
  while (next !== undefined) {
    const names = [...chain.map((c) => c.location.name), next];
    if (chain.some((c) => c.location.name === next)) {
      return failed({
        ...requester,
        expected: 'an inheritance chain without cycles',
        got: names.join(' → '),
      });
    }
    if (chain.length === MAX_PROFILE_DEPTH) {
      return failed({
        ...requester,
        expected: `an inheritance chain of at most ${MAX_PROFILE_DEPTH} profiles`,
        got: `${names.join(' → ')}`,
      });
    }
    const found = locate(next, ctx, requester);
    if ('issue' in found) return failed(found.issue);
    const { location } = found;
    const label = profileLabel(location, ctx.home);
    const read = readLayerFile(
      {
        kind: 'profile',
        label,
        file: location.file,
        trusted: location.scope !== 'workspace',
        profile: location.name,
      },
      profileSchema,
      ctx,
    );
    // The file was listed a moment ago; if it vanished since, report it like an unreadable one.
    if (read === undefined)
      return failed({
        file: label,
        key: '',
        expected: 'a readable TOML file',
        got: 'no such file',
      });
    if (read.layer === undefined) return { result: undefined, issues: read.issues };
    chain.push({ location, layer: read.layer });
    requester = { file: label, key: 'inherits' };
    next = read.layer.data.inherits;
  }

  chain.reverse();
  const warnings: ConfigWarning[] = [];
  const held: HeldBack[] = [];
  const layers = chain.map(({ layer }): Layer => {
    const { inherits: _inherits, ...data } = layer.data;
    if (layer.source.trusted) return { source: layer.source, data };
    const sanitized = sanitizeUntrusted(data, layer.source, ctx);
    warnings.push(...sanitized.warnings);
    if (sanitized.held) held.push(sanitized.held);
    return { source: layer.source, data: sanitized.data };
  });
  const locations = chain.map((c) => c.location);
  return {
    result: {
      profile: {
        name,
        chain: locations,
        contextFiles: locations
          .map((l) => join(l.dir, 'CONTEXT.md'))
          .filter((file) => existsSync(file)),
      },
      layers,
      warnings,
      held,
    },
    issues: [],
  };
}

function failed(issue: ConfigIssue): { result: undefined; issues: ConfigIssue[] } {
  return { result: undefined, issues: [issue] };
}
