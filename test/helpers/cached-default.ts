import { buildDefaultImage, DEFAULT_BUILD_ESTIMATE } from '../../src/core/image/build-default.js';
import { defaultImageRecipe, RECIPE_PROPERTY } from '../../src/core/image/default-recipe.js';
import { recipeHash } from '../../src/core/image/recipe.js';
import { Incus } from '../../src/incus/index.js';
import { silentProgress } from './progress.js';

/**
 * coi-default for the tests, under an alias of its own that outlives runs (like the base image):
 * the image the corpus, agent and hardening tests run in. Rebuilt only when its recipe changed.
 */
export const CACHED_DEFAULT = 'coi-test-default';

const LOG = '/tmp/coi-test-default-build.log';

/**
 * Builds CACHED_DEFAULT before any test file starts when it is missing or from an older recipe:
 * files running in parallel must not find it half made, nor build it twice. `prefix` names the
 * throw-away container the agents are checked in.
 */
export async function ensureCachedDefault(prefix: string): Promise<void> {
  const incus = Incus.local();
  try {
    const current = await incus.images.findByAlias(CACHED_DEFAULT);
    const stale = current?.properties?.[RECIPE_PROPERTY] !== recipeHash(defaultImageRecipe);
    if (current && !stale) return;
    console.info(
      `building ${CACHED_DEFAULT} (${DEFAULT_BUILD_ESTIMATE} the first time); log: ${LOG}`,
    );
    await buildDefaultImage({
      incus,
      progress: silentProgress,
      logPath: LOG,
      alias: CACHED_DEFAULT,
      force: current !== undefined,
      compression: 'none',
      prefix,
    });
  } finally {
    await incus.close();
  }
}
