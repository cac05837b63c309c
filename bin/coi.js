#!/usr/bin/env node
// CommonJS (bin/package.json), as is the start-up bundle it loads: Node 20 starts a CommonJS
// entry faster than an ES module.
const { enableCompileCache } = require('node:module');

// Node 22.1+ keeps the compiled code of coi's modules between runs; older Nodes have no cache.
enableCompileCache?.();

// `coi --help | head -1`: a reader that goes away ends coi quietly, as SIGPIPE ends other tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}

// Required only now, so that the compile cache above covers it. The commands that must start fast
// run from one bundled file (see src/cli/start-up.ts), the others from the ES modules of dist/.
const startUp = require('../dist/start-up.cjs');
void (async () => {
  const { main } = (await startUp.runsBundled(process.argv))
    ? startUp
    : await import('../dist/cli/main.js');
  process.exitCode = await main(process.argv);
})();
