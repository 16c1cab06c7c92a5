// Which commits a run compares, asked of git as soon as an engine command starts: the
// answers arrive while the engine's modules load, and both are on the way to the first
// model request.
import { currentHead, revParse } from '../engine/git/commands.js';
import type { EngineRequest } from './run-engine.js';

export interface PendingRefs {
  head: ReturnType<typeof currentHead>;
  /** The command's base ref resolved to a commit, unless the request already names one. */
  baseSha?: Promise<string>;
}

export function askRefs(request: EngineRequest, cwd: string): PendingRefs {
  const head = currentHead(cwd);
  if (!request.baseRef || request.base) return { head };
  const baseSha = revParse(cwd, request.baseRef);
  baseSha.catch(() => undefined); // before the first commit there is no base: awaited only when there is
  return { head, baseSha };
}
