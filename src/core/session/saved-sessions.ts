import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { FileTreeService } from '../../incus/interfaces.js';
import { checkSessionId, isValidSessionId, workspaceHash } from '../../shared/naming.js';

/** `metadata.json` of a saved session, as Go coi writes it. */
export interface SessionMetadata {
  session_id: string;
  container_name: string;
  persistent: boolean;
  workspace: string;
  saved_at: string;
  tool: string;
  profile?: string;
}

export interface SavedSession extends SessionMetadata {
  dir: string;
}

/**
 * Saved tool state under `~/.coi/sessions-<tool>/<session-id>/`: the tool's state directory under
 * its own name relative to the home (`.claude/`, as the Go coi keeps it) plus `metadata.json`. A
 * save replaces the previous one atomically (rename).
 */
export class SavedSessions {
  constructor(private readonly coiDir: string) {}

  private toolDir(tool: string): string {
    return join(this.coiDir, `sessions-${tool}`);
  }

  /** Pulls the tool's state dir (`stateDir` relative to `home`) out of the container. */
  async save(
    tree: FileTreeService,
    meta: Omit<SessionMetadata, 'saved_at'>,
    home: string,
    stateDir: string,
  ): Promise<SavedSession> {
    const id = checkSessionId(meta.session_id, `session id of ${meta.container_name}`);
    const dir = join(this.toolDir(meta.tool), id);
    const staging = `${dir}.saving-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(join(staging, stateDir, '..'), { recursive: true });
    await tree.pull(meta.container_name, posix.join(home, stateDir), join(staging, stateDir));
    const full: SessionMetadata = { ...meta, saved_at: new Date().toISOString() };
    await writeFile(join(staging, 'metadata.json'), `${JSON.stringify(full, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return { ...full, dir };
  }

  /** Pushes a saved session's state dir back into a container's home. */
  async restore(
    tree: FileTreeService,
    session: SavedSession,
    container: string,
    home: string,
    stateDir: string,
    uid: number,
  ): Promise<void> {
    await tree.push(container, join(session.dir, stateDir), posix.join(home, stateDir), {
      uid,
      gid: uid,
    });
  }

  /**
   * Saved sessions of a tool (or all tools), newest first, optionally of one workspace only, or
   * of one `session_name` identity (its hash is in the container's name), whichever checkout.
   */
  async list(
    opts: { tool?: string; workspace?: string; identity?: string } = {},
  ): Promise<SavedSession[]> {
    const hash = opts.identity !== undefined ? workspaceHash(opts.identity) : undefined;
    // Directories not made yet (nothing saved so far) hold no sessions.
    const tools = opts.tool
      ? [opts.tool]
      : (await readdir(this.coiDir).catch(() => [] as string[]))
          .filter((d) => d.startsWith('sessions-'))
          .map((d) => d.slice('sessions-'.length));
    const sessions: SavedSession[] = [];
    for (const tool of tools) {
      const root = this.toolDir(tool);
      for (const id of await readdir(root).catch(() => [] as string[])) {
        if (id.includes('.saving-')) continue;
        const dir = join(root, id);
        // No metadata.json: not a saved session (one being written has a .saving- name).
        const meta = await readFile(join(dir, 'metadata.json'), 'utf8').then(
          (t) => JSON.parse(t) as SessionMetadata,
          () => undefined,
        );
        // An id coi refuses (it names directories and reaches the agent's command line): a
        // session that cannot be resumed, so not listed.
        if (typeof meta?.session_id !== 'string' || !isValidSessionId(meta.session_id)) continue;
        if (opts.workspace && meta.workspace !== opts.workspace) continue;
        if (hash && /([a-f0-9]{8})-\d+$/.exec(meta.container_name ?? '')?.[1] !== hash) continue;
        sessions.push({ ...meta, tool: meta.tool ?? tool, dir });
      }
    }
    return sessions.sort((a, b) => b.saved_at.localeCompare(a.saved_at));
  }

  async find(id: string, tool?: string): Promise<SavedSession | undefined> {
    return (await this.list(tool ? { tool } : {})).find((s) => s.session_id === id);
  }

  async removeAll(): Promise<number> {
    const sessions = await this.list();
    for (const s of sessions) await rm(s.dir, { recursive: true, force: true });
    return sessions.length;
  }
}
