// Bundles the action (dist/index.js), the CLI (dist/cli.js) and the runtime library
// (dist/runtime/index.js, the package's main export, with its declarations). Deterministic: the same
// sources and lockfile give byte-identical output, which the check-dist step relies on.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

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
// The CLI is split: each command's modules (dynamic imports in src/cli/commands) are chunks in
// dist/cli-chunks/ that load only when the command runs, so `canary check` does not parse or
// hold the eval engine, the model SDKs or the dashboard's renderers. The banner goes on every
// chunk: each needs its own require(); the #! line is valid at the top of any module.
await build({
  ...common,
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'cli-chunks/[name]-[hash]',
  banner: { js: `#!/usr/bin/env node\n${requireShim}` },
});
// The runtime library loads @opentelemetry/api only when the application has it installed.
await build({
  ...common,
  entryPoints: ['src/runtime/index.ts'],
  outfile: 'dist/runtime/index.js',
  banner: { js: requireShim },
  external: [...common.external, '@opentelemetry/api'],
});
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.runtime.json'], { stdio: 'inherit' });
