import { truncateSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { listProfiles, loadConfig, type LoadedConfig } from '../../core/config/index.js';
import {
  profilesToBuild,
  summaryLines,
  type BuildOutcome,
  type ProfileBuildEntry,
} from '../../core/image/build-all.js';
import { buildCustomImage } from '../../core/image/build-custom.js';
import { buildDefaultImage, defaultBuildSettings } from '../../core/image/build-default.js';
import { DEFAULT_IMAGE_ALIAS } from '../../core/image/default-recipe.js';
import { terminalProgress } from '../../core/progress.js';
import { withContext, type CliContext } from '../context.js';
import { CliError, usageError } from '../errors.js';
import type { BuildFlags, CustomFlags } from './build.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** A fresh build log under ~/.coi/logs, named after the image. */
function buildLog(ctx: CliContext, alias: string): string {
  const dir = join(ctx.coiDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `build-${alias}.log`);
  try {
    truncateSync(path);
  } catch {
    // no earlier log
  }
  return path;
}

interface Built {
  alias: string;
  built: boolean;
  logPath: string;
}

/** The image of a profile's `[container.build]`, under the profile's `[container] image`. */
async function buildProfileImage(
  ctx: CliContext,
  profile: string,
  loaded: LoadedConfig,
  force: boolean | undefined,
): Promise<Built> {
  const build = loaded.config.container.build;
  const alias = loaded.config.container.image;
  if (!build.script && !build.commands?.length)
    throw new CliError(`profile ${profile} has no [container.build] script or commands to build`);
  if (alias === DEFAULT_IMAGE_ALIAS)
    throw new CliError(
      `profile ${profile} would overwrite ${DEFAULT_IMAGE_ALIAS}: set its [container] image to a name of its own`,
    );
  const logPath = buildLog(ctx, alias);
  const result = await buildCustomImage({
    incus: ctx.incus,
    progress: terminalProgress(),
    logPath,
    alias,
    base: build.base ?? DEFAULT_IMAGE_ALIAS,
    ...(build.script ? { script: build.script } : {}),
    ...(build.commands ? { commands: build.commands } : {}),
    prefix: ctx.prefix,
    compression: build.compression,
    force,
  });
  return { alias, built: result.built, logPath };
}

interface DefaultBuilt extends Built {
  fingerprint: string;
  seconds: number;
  /** The recipe an existing image was built from, when it is not the current one. */
  stale?: string;
  recipe: string;
}

/** coi-default (or `--alias`) from the built-in recipe; kept when it exists unless forced. */
async function buildDefault(ctx: CliContext, flags: BuildFlags): Promise<DefaultBuilt> {
  const alias = flags.alias ?? DEFAULT_IMAGE_ALIAS;
  const logPath = buildLog(ctx, alias);
  const started = Date.now();
  const result = await buildDefaultImage({
    incus: ctx.incus,
    progress: terminalProgress(),
    logPath,
    alias,
    force: flags.force,
    ...defaultBuildSettings(ctx.loaded.config),
    prefix: ctx.prefix,
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  return { ...result, alias, logPath, seconds };
}

function reportDefault(result: DefaultBuilt): void {
  const id = result.fingerprint.slice(0, 12);
  if (result.built) {
    say(`Built ${result.alias} (${id}) in ${result.seconds} s. Log: ${result.logPath}`);
    return;
  }
  say(`${result.alias} exists (${id}); kept (--force rebuilds).`);
  if (result.stale)
    say(`Note: it was built from recipe ${result.stale}; the current recipe is ${result.recipe}.`);
}

/** Every profile the workspace sees, loaded (or why not). */
function loadProfiles(ctx: CliContext): (ProfileBuildEntry & { loaded?: LoadedConfig })[] {
  const names = [
    ...new Set(listProfiles({ home: homedir(), workspace: ctx.workspace }).map((p) => p.name)),
  ];
  return names.map((name) => {
    try {
      const loaded = loadConfig({ cwd: ctx.workspace, profile: name });
      const { script, commands } = loaded.config.container.build;
      return { name, hasBuild: !!script || !!commands?.length, loaded };
    } catch (err) {
      return { name, error: (err as Error).message.split('\n')[0] ?? '' };
    }
  });
}

/** coi-default first, then each profile with a build, by name; one failure does not stop the rest. */
async function buildAll(ctx: CliContext, flags: BuildFlags): Promise<void> {
  const outcomes: BuildOutcome[] = [];
  const failures: string[] = [];
  const attempt = async (name: string, image: string | undefined, build: () => Promise<Built>) => {
    if (image) say(`\n[${name}] Building image '${image}'...`);
    try {
      const { built, alias } = await build();
      say(
        built
          ? `[${name}] Image '${alias}' built successfully.`
          : `[${name}] Image '${alias}' already exists (use --force to rebuild).`,
      );
      outcomes.push(built ? 'built' : 'skipped');
    } catch (err) {
      const reason = (err as Error).message;
      say(`${image ? '' : '\n'}[${name}] Failed: ${reason}`);
      failures.push(`  profile '${name}': ${reason.split('\n')[0]}`);
      outcomes.push('failed');
    }
  };
  await attempt('default', flags.alias ?? DEFAULT_IMAGE_ALIAS, () => buildDefault(ctx, flags));
  for (const entry of profilesToBuild(loadProfiles(ctx))) {
    const { loaded } = entry;
    await attempt(entry.name, loaded?.config.container.image, async () => {
      if (!loaded) throw new CliError('error' in entry ? entry.error : 'does not load');
      return buildProfileImage(ctx, entry.name, loaded, flags.force);
    });
  }
  summaryLines(outcomes).forEach((line) => say(line));
  if (failures.length)
    throw new CliError(`${failures.length} build(s) failed:\n${failures.join('\n')}`);
}

/** `coi build [--all | --profile P]`. */
export async function buildAction(flags: BuildFlags): Promise<void> {
  if (flags.all && flags.profile)
    throw usageError('--all and --profile are mutually exclusive: --all builds every profile');
  await withContext(flags.profile ? { profile: flags.profile } : {}, async (ctx) => {
    if (flags.all) return buildAll(ctx, flags);
    if (!flags.profile) return reportDefault(await buildDefault(ctx, flags));
    const result = await buildProfileImage(ctx, flags.profile, ctx.loaded, flags.force);
    say(
      result.built
        ? `Built ${result.alias}. Log: ${result.logPath}`
        : `${result.alias} exists; kept (--force rebuilds).`,
    );
  });
}

/** `coi build custom NAME --script FILE`. */
export async function buildCustomAction(name: string, flags: CustomFlags): Promise<void> {
  await withContext({}, async (ctx) => {
    const logPath = buildLog(ctx, name);
    const result = await buildCustomImage({
      incus: ctx.incus,
      progress: terminalProgress(),
      logPath,
      alias: name,
      base: flags.base,
      script: flags.script,
      prefix: ctx.prefix,
      compression: ctx.loaded.config.container.build.compression,
      force: flags.force,
    });
    say(
      result.built ? `Built ${name}. Log: ${logPath}` : `${name} exists; kept (--force rebuilds).`,
    );
  });
}
