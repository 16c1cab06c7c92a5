// Bundles the action (dist/index.js) and the CLI (dist/cli.js). Deterministic: the same
// sources and lockfile give byte-identical output, which the check-dist step relies on.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });

// CommonJS dependencies (nunjucks, ajv) call require() on Node builtins; ESM has none.
const requireShim = "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Third-party licence notices go to <bundle>.LEGAL.txt beside each bundle, which links to it.
  legalComments: 'linked',
  logLevel: 'warning',
  // nunjucks only uses chokidar for its optional template watcher, which we never enable.
  external: ['chokidar'],
};

// The action gets a source map (dist/index.js.map), so a stack trace in a run log points at src/.
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', banner: { js: requireShim }, sourcemap: 'linked' });
await build({
  ...common,
  entryPoints: ['src/cli/index.ts'],
  outfile: 'dist/cli.js',
  banner: { js: `#!/usr/bin/env node\n${requireShim}` },
});
