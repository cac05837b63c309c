import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the local daemon's socket is, resolved the way Incus's own client does. */
export function resolveSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INCUS_SOCKET) return env.INCUS_SOCKET;
  if (env.INCUS_DIR) return join(env.INCUS_DIR, 'unix.socket');
  if (existsSync('/run/incus/unix.socket')) return '/run/incus/unix.socket';
  return '/var/lib/incus/unix.socket';
}

/** True when this process may open the socket (it exists and is writable). */
export function socketWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
