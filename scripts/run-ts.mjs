// Runs a TypeScript entry point (bench, demo) without a TS runtime: bundle it with esbuild,
// dependencies left external, into .tmp/, then run it with this Node.
//   node scripts/run-ts.mjs bench/main.ts [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry) throw new Error('usage: node scripts/run-ts.mjs ENTRY.ts [args...]');
const outfile = `${root}.tmp/${basename(entry, '.ts')}.mjs`;

await build({
  entryPoints: [`${root}${entry}`],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});

const { status } = spawnSync(process.execPath, [outfile, ...args], { cwd: root, stdio: 'inherit' });
process.exitCode = status ?? 1;
