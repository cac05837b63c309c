import { join } from 'node:path';

/** Where the monitor daemon keeps its socket and log, under ~/.coi. */
export function monitorPaths(coiDir: string): {
  dir: string;
  socket: string;
  log: string;
  audit: string;
} {
  const dir = join(coiDir, 'monitor');
  return {
    dir,
    socket: join(dir, 'monitor.sock'),
    log: join(dir, 'daemon.log'),
    audit: join(coiDir, 'audit'),
  };
}
