import { join } from 'node:path';
import type { Incus } from '../../incus/index.js';
import { buildDefaultImage, type DefaultBuildSettings } from '../image/build-default.js';
import { DEFAULT_IMAGE_ALIAS } from '../image/default-recipe.js';
import type { Progress } from '../progress.js';

/**
 * The control room's "build the agents' image": coi-default (kept when it exists), each step
 * reported as one line for the status line; resolves to its alias.
 */
export async function buildRoomImage(
  incus: Incus,
  coiDir: string,
  settings: DefaultBuildSettings,
  onProgress: (line: string) => void,
): Promise<string> {
  const built = await buildDefaultImage({
    ...settings,
    incus,
    progress: lineProgress(onProgress),
    logPath: join(coiDir, 'logs', `build-${DEFAULT_IMAGE_ALIAS}.log`),
  });
  return built.alias;
}

function lineProgress(onLine: (line: string) => void): Progress {
  let step = '';
  let shown = -1;
  return {
    step: (name) => {
      shown = -1;
      onLine((step = name));
    },
    // Once per percent: the status line need not redraw for every line of the build log.
    update: (fraction) => {
      const percent = Math.round(fraction * 100);
      if (percent !== shown) onLine(`${step} ${(shown = percent)}%`);
    },
    info: onLine,
    done: onLine,
  };
}
