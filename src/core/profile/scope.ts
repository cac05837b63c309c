import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where profile commands write: the user's ~/.coi (trusted) or the workspace's ./.coi. */
export type ProfileScope = 'user' | 'project';

export interface ProfileContext {
  workspace: string;
  home?: string;
}

export const homeOf = (ctx: ProfileContext) => resolve(ctx.home ?? homedir());

/** `~/.coi` or `<workspace>/.coi`. */
export function coiDirOf(scope: ProfileScope, ctx: ProfileContext): string {
  return join(scope === 'user' ? homeOf(ctx) : resolve(ctx.workspace), '.coi');
}

/** The file a profile of `scope` lives in. */
export function profileFile(name: string, scope: ProfileScope, ctx: ProfileContext): string {
  return join(coiDirOf(scope, ctx), 'profiles', name, 'config.toml');
}
