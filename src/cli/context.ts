import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConfigOverrides, LoadedConfig } from '../core/config/index.js';
import type { Incus } from '../incus/index.js';
import { containerPrefix } from '../shared/naming.js';

/** What every command needs: the workspace, the effective config, the prefix and an Incus client. */
export interface CliContext {
  workspace: string;
  loaded: LoadedConfig;
  prefix: string;
  coiDir: string;
  incus: Incus;
}

export interface ContextOptions {
  workspace?: string;
  profile?: string;
  /** Without `profile`, use `[defaults] profile` (session commands). */
  defaultProfile?: boolean;
  overrides?: ConfigOverrides;
}

/** Absolute workspace path, symlinks not resolved (the container name hashes exactly this). */
export function workspacePath(workspace: string | undefined): string {
  return resolve(workspace ?? process.cwd());
}

export function coiDir(): string {
  return join(homedir(), '.coi');
}

/** Loads config (printing the warnings of untrusted files) and opens the local Incus. */
async function cliContext(opts: ContextOptions = {}): Promise<CliContext> {
  // Loaded here, not at the top: commands that never reach Incus skip zod, TOML and the client.
  const [{ loadConfig }, { Incus }] = await Promise.all([
    import('../core/config/index.js'),
    import('../incus/index.js'),
  ]);
  const workspace = workspacePath(opts.workspace);
  const loaded = loadConfig({
    cwd: workspace,
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.defaultProfile ? { defaultProfile: true } : {}),
    ...(opts.overrides ? { overrides: opts.overrides } : {}),
  });
  for (const w of loaded.warnings) process.stderr.write(`Warning: ${w.message}\n`);
  const incus = Incus.local({ project: loaded.config.incus.project });
  return { workspace, loaded, prefix: containerPrefix(), coiDir: coiDir(), incus };
}

/** Runs a command body with a context and always closes the Incus connections. */
export async function withContext<T>(
  opts: ContextOptions,
  body: (ctx: CliContext) => Promise<T>,
): Promise<T> {
  const ctx = await cliContext(opts);
  try {
    return await body(ctx);
  } finally {
    await ctx.incus.close();
  }
}
