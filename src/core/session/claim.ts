import { rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownerAlive } from '../../shared/lock-file.js';

/**
 * Which process waits on a session and ends it itself (`coi shell` attached, `coi run`, and every
 * launch while it runs), kept as `~/.coi/claims/<container>.pid`: the supervisor leaves a session
 * that powered itself off to that process. A claim ends when it is released or its process exits;
 * the claim of a killed process is stale (its pid is dead) and does not count.
 */
export class SessionClaims {
  constructor(private readonly dir: string) {}

  /** Claims the container for this process; returns the release (also run when it exits). */
  async claim(container: string): Promise<() => void> {
    await mkdir(this.dir, { recursive: true });
    const path = this.path(container);
    await writeFile(path, String(process.pid));
    const release = () => {
      process.off('exit', release);
      rmSync(path, { force: true });
    };
    process.once('exit', release);
    return release;
  }

  /** A live process waits on the container. */
  held(container: string): Promise<boolean> {
    return ownerAlive(this.path(container));
  }

  /** Forgets a stale claim. */
  async drop(container: string): Promise<void> {
    await rm(this.path(container), { force: true });
  }

  private path(container: string): string {
    return join(this.dir, `${container}.pid`);
  }
}

export function sessionClaims(coiDir: string): SessionClaims {
  return new SessionClaims(join(coiDir, 'claims'));
}
