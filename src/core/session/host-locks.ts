import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockPaths, unlockPaths } from './protected-paths.js';

/**
 * Which host paths a container's session locked with `chattr +i`, kept on the host
 * (`~/.coi/locks/<container>.json`) so whoever ends the session — the supervisor when the
 * container stops or is deleted, `coi container delete`, or `coi clean` after a crash — can
 * unlock them. Several sessions of one workspace share its paths: a path stays locked while
 * any other container's record still lists it.
 */
export class HostLocks {
  constructor(private readonly dir: string) {}

  /** Records the paths first, then locks them, so a concurrent release never unlocks them early. */
  async lock(container: string, paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${container}.json`), JSON.stringify(paths));
    await lockPaths(paths);
  }

  /** Unlocks a container's paths that no other record holds, and forgets them. */
  async release(container: string): Promise<number> {
    const paths = await this.read(container);
    await rm(join(this.dir, `${container}.json`), { force: true });
    const held = new Set<string>();
    for (const other of await this.containers()) {
      for (const path of await this.read(other)) held.add(path);
    }
    await unlockPaths(paths.filter((p) => !held.has(p)));
    return paths.length;
  }

  /** Containers with recorded locks. */
  async containers(): Promise<string[]> {
    // No locks directory yet: no locks.
    const files = await readdir(this.dir).catch(() => [] as string[]);
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  }

  private async read(container: string): Promise<string[]> {
    // No file: the container locked nothing.
    return readFile(join(this.dir, `${container}.json`), 'utf8').then(
      (text) => JSON.parse(text) as string[],
      () => [],
    );
  }
}

export function hostLocks(coiDir: string): HostLocks {
  return new HostLocks(join(coiDir, 'locks'));
}
