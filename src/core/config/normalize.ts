import type { ConfigIssue } from './errors.js';
import { absolutePath, expandHome } from './paths.js';
import type { ConfigLayer } from './schema.js';

interface NormalizeContext {
  home: string;
  workspace: string;
  /** Directory of the file, for build scripts. */
  base: string;
}

/**
 * Folds the older `[defaults] image/persistent` spellings into `[container]` and makes host paths
 * absolute: `~` expanded, mount and socket paths taken from the workspace, build scripts from the
 * file's own directory.
 */
export function normalizeLayer<T extends ConfigLayer>(
  input: T,
  label: string,
  ctx: NormalizeContext,
): { data: T; issues: ConfigIssue[] } {
  const data = structuredClone(input);
  const issues: ConfigIssue[] = [];

  if (data.defaults) {
    const { image, persistent, ...rest } = data.defaults;
    for (const [key, value] of [
      ['image', image],
      ['persistent', persistent],
    ] as const) {
      if (value === undefined) continue;
      const current = data.container?.[key];
      if (current !== undefined && current !== value) {
        issues.push({
          file: label,
          key: `defaults.${key}`,
          expected: `the same value as container.${key} (${JSON.stringify(current)}) or no value; [defaults] ${key} is an older spelling of [container] ${key}`,
          got: JSON.stringify(value),
        });
        continue;
      }
      data.container = { ...data.container, [key]: value };
    }
    data.defaults = rest;
  }

  if (data.paths) {
    for (const key of ['sessions_dir', 'storage_dir', 'logs_dir'] as const) {
      const value = data.paths[key];
      if (value !== undefined) data.paths[key] = expandHome(value, ctx.home);
    }
  }
  if (data.tool?.context_file !== undefined) {
    data.tool.context_file = expandHome(data.tool.context_file, ctx.home);
  }
  for (const mount of data.mounts?.default ?? []) {
    mount.host = absolutePath(mount.host, ctx.workspace, ctx.home);
  }
  for (const socket of data.sockets ?? []) {
    socket.host = absolutePath(socket.host, ctx.workspace, ctx.home);
  }
  for (const bundle of data.credentials ?? []) {
    const toAbsolute = (host: string) => absolutePath(host, ctx.workspace, ctx.home);
    bundle.host =
      typeof bundle.host === 'string' ? toAbsolute(bundle.host) : bundle.host.map(toAbsolute);
  }
  const build = data.container?.build;
  if (build?.script !== undefined) build.script = absolutePath(build.script, ctx.base, ctx.home);

  return { data, issues };
}
