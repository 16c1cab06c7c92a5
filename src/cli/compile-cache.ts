import module from 'node:module';

/**
 * Keeps V8's compiled code of the CLI's chunks on disk between runs (Node 22.8 and later:
 * `os.tmpdir()/node-compile-cache`, or where NODE_COMPILE_CACHE says; NODE_DISABLE_COMPILE_CACHE
 * turns it off). A run after the first reaches its first model request ~20 ms sooner on Node 24
 * (the README's Measured section). Node checks each file's content against its cache entry, so
 * an upgrade never runs stale code. A silent no-op where Node cannot (Node 20), as Node's own
 * failure to write the cache is. The CLI only: the action runs once per fresh runner, where a
 * cache would only be written, never read.
 */
export function cacheCompiledCode(): void {
  (module as typeof module & { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
