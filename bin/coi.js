#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps the compiled code of coi's modules between runs; older Nodes have no cache.
module.enableCompileCache?.();

// `coi --help | head -1`: a reader that goes away ends coi quietly, as SIGPIPE ends other tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}

// Imported only now, so that the compile cache above covers it.
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
