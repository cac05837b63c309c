import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { loadConfig, type LoadConfigOptions } from '../../../../src/core/config/index.js';

/** A throw-away host: home, workspace and /etc/coi under one temp dir, removed after each test. */
export interface Host {
  root: string;
  home: string;
  workspace: string;
  etc: string;
  write(path: string, text: string): string;
  load(options?: Partial<LoadConfigOptions>): ReturnType<typeof loadConfig>;
  /** The ConfigError message a load throws. */
  loadError(options?: Partial<LoadConfigOptions>): string;
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

export function makeHost(): Host {
  const root = mkdtempSync(join(tmpdir(), 'coi-config-'));
  roots.push(root);
  const home = join(root, 'home');
  const workspace = join(root, 'work', 'project');
  const etc = join(root, 'etc', 'coi');
  for (const dir of [home, workspace, etc]) mkdirSync(dir, { recursive: true });
  const options = (extra: Partial<LoadConfigOptions> = {}): LoadConfigOptions => ({
    cwd: workspace,
    home,
    etcDir: etc,
    env: {},
    ...extra,
  });
  return {
    root,
    home,
    workspace,
    etc,
    write(path, text) {
      const file = path.startsWith('/') ? path : join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    load: (extra) => loadConfig(options(extra)),
    loadError(extra) {
      try {
        loadConfig(options(extra));
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected loadConfig to fail');
    },
  };
}
