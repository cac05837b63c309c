// `npm test`: host set-up in test mode, typecheck, lint, README captures, then both vitest
// projects; ends with a plain "tests: N passed, N failed" line that any CI log reader understands.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const steps = [
  ['node', ['scripts/ensure-deps.mjs']],
  ['npm', ['run', '-s', 'build']],
  ['node', ['bin/coi.js', 'setup', '--test']],
  ['npm', ['run', '-s', 'typecheck']],
  ['npm', ['run', '-s', 'lint']],
  // The README's control-room screens are rendered from the app: a change to a view shows there.
  ['npx', ['tsx', 'scripts/readme-captures.tsx', '--check']],
];
for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

mkdirSync('.test-artifacts', { recursive: true });
const report = '.test-artifacts/vitest.json';
const vitest = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log('tests: 0 passed, 1 failed (no vitest report was written)');
  process.exit(vitest.status || 1);
}
process.exit(vitest.status ?? 1);
