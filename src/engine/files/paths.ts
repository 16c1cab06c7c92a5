import { posix, win32 } from 'node:path';

/**
 * Resolves `ref`, written in `fromFile`, to a normalized repo-relative posix path; undefined
 * when it is absolute or climbs out of the repository.
 */
export function resolveRef(fromFile: string, ref: string): string | undefined {
  const slashed = ref.replaceAll('\\', '/');
  if (posix.isAbsolute(slashed) || win32.isAbsolute(ref)) return undefined;
  const path = posix.normalize(posix.join(posix.dirname(fromFile), slashed));
  return path === '..' || path.startsWith('../') ? undefined : path;
}
