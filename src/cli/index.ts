import { cacheCompiledCode } from './compile-cache.js';
import { boundHeapGrowth } from './heap-growth.js';
import { main } from './main.js';

// Both before the command's chunks load.
cacheCompiledCode();
boundHeapGrowth();

// `promptgate help | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2), process.env);
