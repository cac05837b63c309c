import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** How to start the pane worker: its built file, or (under tsx/vitest) the source through tsx. */
export type PaneWorkerSource = { file: URL } | { evalCode: string };

/** tsx's ESM register API, found through tsx's own exports map (a dev dependency). */
function tsxRegisterUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(join(dirname(manifest), pkg.exports['./esm/api']!.import.default)).href;
}

/**
 * From `dist/` the worker is the `.js` next to this module. Tests and benches import `src/`,
 * where only the `.ts` exists and a worker thread does not inherit their loader: the worker
 * then registers tsx first and imports the source.
 */
export function paneWorkerSource(here: string = import.meta.url): PaneWorkerSource {
  const built = new URL('./pane-worker.js', here);
  if (existsSync(fileURLToPath(built))) return { file: built };
  const source = new URL('./pane-worker.ts', here);
  if (!existsSync(fileURLToPath(source))) {
    throw new Error(
      `The pane worker is missing next to ${fileURLToPath(here)}: rebuild coi (npm run build)`,
    );
  }
  const tsx = JSON.stringify(tsxRegisterUrl());
  return {
    evalCode: `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`,
  };
}

export function startPaneWorker(source: PaneWorkerSource = paneWorkerSource()): Worker {
  return 'file' in source ? new Worker(source.file) : new Worker(source.evalCode, { eval: true });
}
