import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CoiError } from '../../shared/errors.js';
import { parseContainerName, workspaceHash } from '../../shared/naming.js';
import { listCoiContainers, type ListIncus } from '../container/list.js';
import { containerOfLogFile, logsDir } from './paths.js';

export interface LogsTargetSources {
  /** The container named on the command line. */
  arg?: string;
  /** `COI_CONTAINER`. */
  env?: string;
  workspace: string;
  prefix: string;
  coiDir: string;
}

/**
 * Whose logs `coi logs` shows: the container named, else `COI_CONTAINER`, else this workspace's
 * one container. Logs outlive ephemeral containers, so a name need not exist any more, and with
 * no container of the workspace left the workspace's most recently written logs are shown.
 */
export async function logsContainer(incus: ListIncus, sources: LogsTargetSources): Promise<string> {
  const named = sources.arg || sources.env;
  if (named) return named;
  const hash = workspaceHash(sources.workspace);
  const ofWorkspace = (name: string) => parseContainerName(name, sources.prefix)?.hash === hash;
  const live = (await listCoiContainers(incus, sources.prefix))
    .map((c) => c.name)
    .filter(ofWorkspace);
  if (live.length === 1) return live[0]!;
  if (live.length > 1)
    throw new CoiError(
      `workspace ${sources.workspace} has ${live.length} containers (${live.join(', ')}); ` +
        'name one: `coi logs <container>`',
      'usage',
    );
  const logged = await newestLogged(logsDir(sources.coiDir), ofWorkspace);
  if (logged) return logged;
  throw new CoiError(
    `no coi container or session log belongs to workspace ${sources.workspace}; ` +
      'name a container (`coi logs <container>`) or set COI_CONTAINER',
  );
}

/** The container whose log in `dir` was written last, among those `wanted` accepts. */
async function newestLogged(
  dir: string,
  wanted: (container: string) => boolean,
): Promise<string | undefined> {
  const files = await readdir(dir).catch(() => [] as string[]);
  let newest: { container: string; mtimeMs: number } | undefined;
  for (const file of files) {
    const container = containerOfLogFile(file);
    if (!container || !wanted(container)) continue;
    // Gone since the listing: not a candidate.
    const mtimeMs = (await stat(join(dir, file)).catch(() => undefined))?.mtimeMs;
    if (mtimeMs !== undefined && (!newest || mtimeMs > newest.mtimeMs))
      newest = { container, mtimeMs };
  }
  return newest?.container;
}
