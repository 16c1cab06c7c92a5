import { posix } from 'node:path';
import type { LoadContext, Loaded } from './context.js';
import type { KeyPath, StructuredFile } from './parse.js';
import { resolveRef } from './paths.js';

/**
 * Follows a path written at `keyPath` of `parsed`: resolves it relative to that file, loads
 * it once per project, and reports a path outside the repository or a missing file at the key.
 */
export function follow<T>(
  ctx: LoadContext,
  parsed: StructuredFile,
  keyPath: KeyPath,
  ref: string,
  kind: string,
  load: (path: string) => Loaded<T>,
): Loaded<T> & { path?: string } {
  const path = resolveRef(parsed.file, ref);
  if (path === undefined) {
    return {
      findings: [parsed.findingAt(keyPath, `"${ref}" points outside the repository; use a path inside it, relative to ${parsed.file}`)],
    };
  }
  const loaded = ctx.once(kind, path, () => load(path));
  if (loaded.missing) {
    const base = posix.dirname(parsed.file);
    const relativeTo = base === '.' ? 'the repository root' : `${base}/`;
    return {
      path,
      findings: [
        parsed.findingAt(keyPath, `${kind} file ${path} not found ("${ref}" is relative to ${relativeTo}); fix the path or add the file`),
      ],
    };
  }
  return { ...loaded, path };
}
