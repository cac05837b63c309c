// `npm run build`'s second step: the compiled exec event reader (native/proc-events.c) with the
// machine's C compiler, into dist/native/. Without a compiler, or when it fails, the build goes
// on and the monitor runs assets/proc-events.pl instead (the same lines, more CPU per exec).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';

const source = 'native/proc-events.c';
const target = 'dist/native/coi-proc-events';
const cc = process.env.CC || 'cc';

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
if (mtime(target) < mtime(source)) {
  mkdirSync('dist/native', { recursive: true });
  // Not a stale reader from an older source.
  rmSync(target, { force: true });
  const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', target, source], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    const why = r.error ? `${cc} cannot run (${r.error.message})` : `${cc} failed`;
    console.error(`${why}: the monitor reads exec events with assets/proc-events.pl instead`);
  }
}
