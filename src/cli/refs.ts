// Which commits a run compares, asked of git as soon as an engine command starts: the
// answers arrive while the engine's modules load, and both are on the way to the first
// model request.
import { currentHead, revParse } from '../engine/git/commands.js';
import type { EngineRequest } from './run-engine.js';

export interface PendingRefs {
  head: ReturnType<typeof currentHead>;
  /** The command's base ref and the commit git resolves it to, unless the request already names a commit. */
  base?: { ref: string; sha: Promise<string> };
}

export function askRefs(request: EngineRequest, cwd: string): PendingRefs {
  const head = currentHead(cwd);
  if (!request.baseRef || request.base) return { head };
  const sha = revParse(cwd, request.baseRef);
  sha.catch(() => undefined); // before the first commit there is no base: awaited only when there is
  return { head, base: { ref: request.baseRef, sha } };
}
