// `npm run build`, after tsc: bundles dist/cli/start-up.js, the commands that must start fast, into
// dist/start-up.cjs (see src/cli/start-up.ts). Of the packages only commander goes in; the others
// stay `require`s and `import()`s of node_modules. Dynamic imports the bundled commands never reach
// stay imports of the ES modules of dist/: the other commands' and help's (program.js), and the
// full command context's (context.js; the bundled commands list with the listing context).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'start-up.cjs');
const { BUNDLED_COMMANDS } = await import(join(DIST, 'cli', 'start-up.js'));
const BUNDLED_MODULES = BUNDLED_COMMANDS.map((name) => join(DIST, 'cli', 'commands', `${name}.js`));
const UNBUNDLED_IMPORTERS = ['program.js', 'context.js'].map((file) => join(DIST, 'cli', file));

/** `./x.js` as the bundle (in dist/) names a file of dist/. */
const fromBundle = (file) => `./${relative(dirname(OUT), file)}`;

const startUp = {
  name: 'coi-start-up',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      path === 'commander' || path.startsWith('node:') ? undefined : { path, external: true },
    );
    bundler.onResolve({ filter: /^\./ }, ({ path, importer, kind }) => {
      const file = resolve(dirname(importer), path);
      if (kind !== 'dynamic-import' || !UNBUNDLED_IMPORTERS.includes(importer)) return undefined;
      if (BUNDLED_MODULES.includes(file)) return undefined;
      return { path: fromBundle(file), external: true };
    });
    // A module's own URL is where tsc put it; commander's `createRequire(import.meta.url)(id)`
    // becomes a plain `require`, which esbuild follows.
    bundler.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const url = `__coiModuleUrl(${JSON.stringify(fromBundle(path))})`;
      return {
        contents: source
          .replaceAll(/createRequire\(import\.meta\.url\)\((['"][^'"]+['"])\)/g, 'require($1)')
          .replaceAll('import.meta.url', url),
        loader: 'js',
      };
    });
  },
};

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: [join(DIST, 'cli', 'start-up.js')],
  outfile: OUT,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [startUp],
  // Strict as the ES modules are: the directive must come before the banner's code.
  banner: {
    js: `'use strict';\nconst __coiModuleUrl = (file) => require('node:url').pathToFileURL(require('node:path').join(__dirname, file)).href;`,
  },
  metafile: true,
  logLevel: 'warning',
});
const missing = BUNDLED_MODULES.filter((file) => !(relative(ROOT, file) in result.metafile.inputs));
if (missing.length > 0) throw new Error(`the start-up bundle lacks ${missing.join(', ')}`);
