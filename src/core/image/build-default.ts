import type { Incus } from '../../incus/index.js';
import type { Config } from '../config/index.js';
import type { Progress } from '../progress.js';
import { checkAgentBinaries } from './agent-check.js';
import { selectedAgents } from './agents.js';
import { buildRootfsImage, type BuildResult } from './builder.js';
import { defaultImageRecipeFor, DEFAULT_IMAGE_ALIAS, RECIPE_PROPERTY } from './default-recipe.js';
import { recipeHash } from './recipe.js';

/**
 * How long a first build of coi-default takes, said before it starts: 7 minutes measured on a
 * 2-core host after the base image (which takes 1–2 more), more on a slow mirror.
 */
export const DEFAULT_BUILD_ESTIMATE = 'about 10 minutes';

export interface DefaultBuildOptions {
  incus: Incus;
  progress: Progress;
  logPath: string;
  /** Default coi-default. */
  alias?: string;
  force?: boolean;
  compression?: string;
  workRoot?: string;
  /** `[container.build] agents`; unset: the default set. */
  agents?: readonly string[];
  /** Prefix of the throw-away container the agents are checked in (default `coi-`). */
  prefix?: string;
}

/** What the config says about building coi-default: every way of building it honours it. */
export type DefaultBuildSettings = Pick<DefaultBuildOptions, 'compression' | 'agents'>;

export function defaultBuildSettings(config: Config): DefaultBuildSettings {
  const { compression, agents } = config.container.build;
  return { compression, ...(agents ? { agents } : {}) };
}

export interface DefaultBuildResult extends BuildResult {
  recipe: string;
  /** Set when an existing image was kept although it came from another recipe. */
  stale?: string;
}

/**
 * Builds coi-default on the offline path (debootstrap + apt in a chroot + npm on the host). An
 * existing image is kept unless `force`; the recipe hash recorded on it says whether it is current.
 */
export async function buildDefaultImage(opts: DefaultBuildOptions): Promise<DefaultBuildResult> {
  const alias = opts.alias ?? DEFAULT_IMAGE_ALIAS;
  const agents = selectedAgents(opts.agents);
  const defaultImageRecipe = defaultImageRecipeFor(agents);
  const recipe = recipeHash(defaultImageRecipe);
  const existing = await opts.incus.images.findByAlias(alias);
  if (existing && !opts.force) {
    const built = existing.properties?.[RECIPE_PROPERTY];
    return {
      alias,
      fingerprint: existing.fingerprint,
      built: false,
      recipe,
      ...(built !== recipe ? { stale: built ?? 'unknown' } : {}),
    };
  }
  const result = await buildRootfsImage({
    client: opts.incus.client,
    progress: opts.progress,
    recipe: defaultImageRecipe,
    alias,
    description: `coi default image (${defaultImageRecipe.suite}, recipe ${recipe}, agents: ${agents.join(', ') || 'none'})`,
    logPath: opts.logPath,
    compression: opts.compression,
    properties: { [RECIPE_PROPERTY]: recipe },
    verify: (fingerprint) =>
      checkAgentBinaries(opts.incus, { fingerprint }, agents, {
        prefix: opts.prefix ?? 'coi-',
        progress: opts.progress,
      }),
    ...(opts.workRoot ? { workRoot: opts.workRoot } : {}),
  });
  // The replaced image goes once nothing points at it any more (containers keep their copy).
  if (
    existing &&
    existing.fingerprint !== result.fingerprint &&
    !(existing.aliases ?? []).some((a) => a.name !== alias)
  ) {
    await (await opts.incus.images.delete(existing.fingerprint)).wait({ timeoutMs: 300_000 });
  }
  return { ...result, recipe };
}
