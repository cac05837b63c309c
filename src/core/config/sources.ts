import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayerKind } from './layer.js';

/** assets/ sits three levels above both src/core/config/ (tsx) and dist/core/config/ (tsc). */
export const DEFAULT_CONFIG_FILE = fileURLToPath(
  new URL('../../../assets/config.default.toml', import.meta.url),
);

/** Profiles coi ships, one directory each like ~/.coi/profiles (the `hardened` one). */
export const BUILT_IN_PROFILES_DIR = fileURLToPath(
  new URL('../../../assets/profiles', import.meta.url),
);

export interface LayerFile {
  kind: LayerKind;
  path: string;
  /** The workspace's own file is not: it may not weaken anything. */
  trusted: boolean;
  /** A file named by COI_CONFIG must exist. */
  required: boolean;
}

export interface LayerFileOptions {
  home: string;
  workspace: string;
  env: Record<string, string | undefined>;
  /** Directory of the system-wide config.toml. */
  etcDir?: string;
}

/** The config files above the built-in defaults, in the order they apply (the later wins). */
export function layerFiles(options: LayerFileOptions): LayerFile[] {
  const { home, workspace, env } = options;
  const file = (kind: LayerKind, path: string, trusted = true, required = false) => ({
    kind,
    path,
    trusted,
    required,
  });
  return [
    file('system', join(options.etcDir ?? '/etc/coi', 'config.toml')),
    file('user', join(home, '.config', 'coi', 'config.toml')),
    file('user', join(home, '.coi', 'config.toml')),
    file('workspace', join(workspace, '.coi', 'config.toml'), false),
    ...(env.COI_CONFIG ? [file('env', resolve(workspace, env.COI_CONFIG), true, true)] : []),
  ];
}
