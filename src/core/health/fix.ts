import { join } from 'node:path';
import { Incus } from '../../incus/index.js';
import { loadConfig, type Config } from '../config/index.js';
import { setupHost } from '../host/setup.js';
import { buildDefaultImage, defaultBuildSettings } from '../image/build-default.js';
import { DEFAULT_IMAGE_ALIAS } from '../image/default-recipe.js';
import type { Progress } from '../progress.js';
import { healthChecks } from './run.js';
import type { HealthReport } from './types.js';

export interface FixOptions {
  workspace: string;
  coiDir: string;
  progress: Progress;
}

/** One line of the fix plan: what `--fix` does itself, or what is left to the user. */
export interface FixStep {
  kind: 'plan' | 'manual';
  /** The check it answers, by label ('' for the set-up, which answers several). */
  check: string;
  action: string;
}

const SETUP_STEP =
  'set up the host where something is missing: packages, Incus daemon, kernel limits, storage pool, bridge, ' +
  'default profile, base image (as `coi setup`)';

/** The image the workspace's config names; the default when the config does not load. */
export function configuredImage(workspace: string): string {
  return configured(workspace)?.container.image ?? DEFAULT_IMAGE_ALIAS;
}

function configured(workspace: string): Config | undefined {
  try {
    return loadConfig({ cwd: workspace }).config;
  } catch {
    // a broken config is reported by the config check; fall back to the defaults
    return undefined;
  }
}

/**
 * What `--fix` would do for a report (`--dry-run` prints only this): the idempotent set-up, the
 * coi-default build when that image is missing, and for every other warning or failure the step
 * the user has to take.
 */
export function planFixes(report: HealthReport, image: string): FixStep[] {
  if (report.status === 'healthy') return [];
  const steps: FixStep[] = [{ kind: 'plan', check: '', action: SETUP_STEP }];
  if (report.checks.image?.status === 'failed' && image === DEFAULT_IMAGE_ALIAS)
    steps.push({
      kind: 'plan',
      check: report.checks.image.name,
      action: `build ${DEFAULT_IMAGE_ALIAS} (takes minutes)`,
    });
  for (const check of healthChecks) {
    const result = report.checks[check.key];
    if (!result || result.status === 'ok') continue;
    const action = check.manualFix?.(result);
    if (action) steps.push({ kind: 'manual', check: result.name, action });
  }
  return steps;
}

/** `[PLAN] …` and `[MANUAL] Label: …` lines. */
export function renderFixPlan(steps: FixStep[]): string[] {
  return steps.map(
    (s) =>
      `  ${s.kind === 'plan' ? '[PLAN]  ' : '[MANUAL]'} ${s.check ? `${s.check}: ` : ''}${s.action}`,
  );
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
  const config = configured(opts.workspace);
  const image = config?.container.image ?? DEFAULT_IMAGE_ALIAS;
  if (report.checks.image?.status === 'failed' && image === DEFAULT_IMAGE_ALIAS) {
    const incus = Incus.local();
    try {
      const built = await buildDefaultImage({
        ...(config ? defaultBuildSettings(config) : {}),
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
