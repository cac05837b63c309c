import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive } from '../../shared/lock-file.js';

/**
 * Whose session a container is, on this host: `~/.coi/claims/<container>.pid` says this coi
 * home launched it, and holds the pid of the process that waits on it and ends it itself
 * (`coi shell` attached, `coi run`, any launch while it runs), or `detached` once none does.
 *
 * - `attended`: a live process waits on it; the supervisor leaves a poweroff to that process.
 * - `detached`: nobody waits (a background session, a process that exited or was killed);
 *   its supervisor ends it.
 * - `unknown`: not launched from this coi home (another user's, an older coi's); left alone.
 */
export type ClaimState = 'attended' | 'detached' | 'unknown';

/** What a released claim holds instead of a pid. */
const DETACHED = 'detached';

export interface Claim {
  /** This process no longer waits on the session (also done when it exits). */
  release(): void;
  /** The session is gone: forget it (a launch undone). */
  drop(): Promise<void>;
}

export class SessionClaims {
  constructor(private readonly dir: string) {}

  async claim(container: string): Promise<Claim> {
    await mkdir(this.dir, { recursive: true });
    const path = this.path(container);
    const mine = String(process.pid);
    await writeFile(path, mine);
    const release = () => {
      process.off('exit', release);
      // Only a claim still ours: the session may have been forgotten or claimed anew meanwhile.
      if (readIfThere(path) === mine) writeFileSync(path, DETACHED);
    };
    process.once('exit', release);
    return {
      release,
      drop: async () => {
        process.off('exit', release);
        await this.forget(container);
      },
    };
  }

  async state(container: string): Promise<ClaimState> {
    // Missing: no session of this coi home.
    const text = await readFile(this.path(container), 'utf8').catch(() => undefined);
    if (text === undefined) return 'unknown';
    // Empty: its process is between creating the file and writing its pid.
    if (text === '') return 'attended';
    const pid = Number(text);
    return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? 'attended' : 'detached';
  }

  async forget(container: string): Promise<void> {
    await rm(this.path(container), { force: true });
  }

  private path(container: string): string {
    return join(this.dir, `${container}.pid`);
  }
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // Gone: nothing to release.
    return undefined;
  }
}

export function sessionClaims(coiDir: string): SessionClaims {
  return new SessionClaims(join(coiDir, 'claims'));
}
