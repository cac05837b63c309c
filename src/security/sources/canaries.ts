import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { createInterface } from 'node:readline';
import type { IncusApi } from '../../incus/index.js';

/**
 * Credential canaries: decoy secrets in the container's home that nothing legitimate reads. They
 * are watched from the host (inotify on /proc/<init pid>/root/…, through `inotifywait` from
 * inotify-tools, since Node's fs.watch does not report opens), so any open is a finding.
 * Caveat: an ssh client inside the container may open ~/.ssh/id_ed25519 while looking for keys.
 */

const CANARIES: ReadonlyArray<{ path: string; content: string }> = [
  {
    path: '.ssh/id_ed25519',
    content:
      '-----BEGIN OPENSSH PRIVATE KEY-----\n' +
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n' +
      'QyNTUxOQAAACDcoiCanaryKeyNotRealcoiCanaryKeyNotRealcoiCanaryAAAAJgAAAAA\n' +
      '-----END OPENSSH PRIVATE KEY-----\n',
  },
  {
    path: '.aws/credentials',
    content:
      '[default]\naws_access_key_id = AKIAQ4COICANARY7EXMP\n' +
      'aws_secret_access_key = c0iCanaryS3cretKeyDoNotUse/7h1s1sADec0yKey\n',
  },
  {
    path: '.env',
    content:
      'OPENAI_API_KEY=sk-proj-c0iCanaryDoNotUseThisKeyItIsADecoy00000000\n' +
      'DATABASE_URL=postgres://admin:c0iCanaryPassw0rd@db.internal:5432/prod\n',
  },
];

/** Writes the canaries into `home` (owned by `uid`, mode 0600); returns their container paths. */
export async function plantCanaries(
  incus: IncusApi,
  container: string,
  home: string,
  uid: number,
): Promise<string[]> {
  const paths: string[] = [];
  for (const canary of CANARIES) {
    const path = posix.join(home, canary.path);
    await incus.files.push(container, path, canary.content, {
      uid,
      gid: uid,
      mode: 0o600,
      createParents: true,
    });
    paths.push(path);
  }
  return paths;
}

/** The container paths of the canaries under `home`. */
export function canaryPaths(home: string): string[] {
  return CANARIES.map((c) => posix.join(home, c.path));
}

export interface CanaryTouch {
  /** The path inside the container. */
  path: string;
  /** inotify events, e.g. `OPEN` or `ACCESS`. */
  events: string;
}

/**
 * One `inotifywait -m` over the canaries that exist in a running container. `ready` resolves once
 * the watches are set (touches before that are not seen).
 */
export class CanaryWatcher {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    rootPid: number,
    containerPaths: readonly string[],
    onTouch: (touch: CanaryTouch) => void,
    onError: (message: string) => void,
  ) {
    const root = `/proc/${rootPid}/root`;
    const hostPaths = containerPaths.map((p) => `${root}${p}`);
    this.child = spawn(
      'inotifywait',
      ['-m', '-e', 'open', '-e', 'access', '--format', '%w\t%e', ...hostPaths],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const [hostPath = '', events = ''] = line.split('\t');
      onTouch({ path: hostPath.slice(root.length), events });
    });
    this.ready = new Promise((resolve, reject) => {
      const stderr = createInterface({ input: this.child.stderr! });
      stderr.on('line', (line) => {
        if (/Watches established/.test(line)) resolve();
        else if (!/Setting up watches/.test(line)) onError(`inotifywait: ${line}`);
      });
      this.child.on('error', (err) => {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new Error(
            missing
              ? 'inotifywait is not installed: run `coi setup` (or apt-get install inotify-tools)'
              : `inotifywait: ${err.message}`,
          ),
        );
      });
      this.child.on('exit', (code) => reject(new Error(`inotifywait exited (${code})`)));
    });
    // Not a swallow: the owner awaits `ready` and reports it; this keeps it from being unhandled.
    this.ready.catch(() => undefined);
  }

  /** The canaries among `containerPaths` that exist in the container with init pid `rootPid`. */
  static present(rootPid: number, containerPaths: readonly string[]): string[] {
    return containerPaths.filter((p) => existsSync(`/proc/${rootPid}/root${p}`));
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}
