import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadConfig,
  type Config,
  type ConfigOverrides,
  type LoadedConfig,
} from '../../../../src/core/config/index.js';

const empty = mkdtempSync(join(tmpdir(), 'coi-session-unit-'));

/** The built-in defaults with command-line style overrides, read from an empty home. */
export function loadedConfig(overrides: ConfigOverrides = {}): LoadedConfig {
  return loadConfig({ cwd: empty, home: empty, etcDir: empty, env: {}, overrides });
}

export function config(overrides: ConfigOverrides = {}): Config {
  return loadedConfig(overrides).config;
}
