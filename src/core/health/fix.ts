import { join } from 'node:path';
import { Incus } from '../../incus/index.js';
import { loadConfig } from '../config/index.js';
import { setupHost } from '../host/setup.js';
import { buildDefaultImage } from '../image/build-default.js';
import { DEFAULT_IMAGE_ALIAS } from '../image/default-recipe.js';
import type { Progress } from '../progress.js';
import type { HealthReport } from './types.js';

export interface FixOptions {
  workspace: string;
  coiDir: string;
  progress: Progress;
}

/**
 * The safe fixes: what `coi setup` does (packages, start Incus, storage pool, bridge, default
 * profile, base image), then coi-default when that is the configured image and it is missing.
 * Returns what was done, one line each.
 */
export async function applyFixes(report: HealthReport, opts: FixOptions): Promise<string[]> {
  const done: string[] = [];
  const setup = await setupHost({ test: false, progress: opts.progress });
  done.push(
    ...setup.steps.filter((s) => s.status === 'done').map((s) => `${s.name}: ${s.message}`),
  );
  let image = DEFAULT_IMAGE_ALIAS;
  try {
    image = loadConfig({ cwd: opts.workspace }).config.container.image;
  } catch {
    // a broken config is reported by the config check; fall back to the default image
  }
  if (report.checks.image?.status === 'failed' && image === DEFAULT_IMAGE_ALIAS) {
    const incus = Incus.local();
    try {
      const built = await buildDefaultImage({
        incus,
        progress: opts.progress,
        logPath: join(opts.coiDir, 'logs', `build-${DEFAULT_IMAGE_ALIAS}.log`),
      });
      if (built.built) done.push(`image: built ${built.alias}`);
    } finally {
      await incus.close();
    }
  }
  return done;
}
