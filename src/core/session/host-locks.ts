import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unlockPaths } from './protected-paths.js';

/**
 * Which host paths a container's session locked with `chattr +i`, kept on the host
 * (`~/.coi/locks/<container>.json`) so whoever ends the session — or `coi clean` after a crash —
 * can unlock them.
 */
export class HostLocks {
  constructor(private readonly dir: string) {}

  async record(container: string, paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${container}.json`), JSON.stringify(paths));
  }

  /** Unlocks a container's paths and forgets them; nothing recorded is fine. */
  async release(container: string): Promise<number> {
    const file = join(this.dir, `${container}.json`);
    const paths = await readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as string[],
      () => [],
    );
    await unlockPaths(paths);
    await rm(file, { force: true });
    return paths.length;
  }

  /** Containers with recorded locks. */
  async containers(): Promise<string[]> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  }
}
