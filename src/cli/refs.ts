// Which commits a run compares, and what changed between them, asked of git as soon as an
// engine command starts: the answers arrive while the engine's modules load, and git's
// children are cheaper to spawn while this process is still small (fork copies its page
// tables). All of it is on the way to the first model request.
import { changeSince, currentHead, headAndCommit, revParse, type ChangedFile, type Head } from '../engine/git/commands.js';
import type { EngineRequest } from './run-engine.js';

export interface PendingRefs {
  head: Promise<Head>;
  /** The command's base ref and the commit git resolves it to, unless the request already names a commit. */
  base?: { ref: string; sha: Promise<string> };
  /** Eval: the files the working tree changed since the base (the engine's own diff, started early). */
  changes?: Promise<ChangedFile[]>;
}

export function askRefs(request: EngineRequest, cwd: string): PendingRefs {
  const baseRef = request.baseRef;
  if (!baseRef || request.base) return { head: currentHead(cwd) };
  const both = headAndCommit(cwd, baseRef);
  const head = both.then((found) => found?.head ?? currentHead(cwd));
  const sha = both.then((found) => found?.sha ?? revParse(cwd, baseRef));
  // Before the first commit there is no base, nor a change: awaited only when there is.
  sha.catch(() => undefined);
  if (request.mode !== 'pr') return { head, base: { ref: baseRef, sha } };
  const changes = Promise.all([sha, head]).then(([base, { sha: headSha }]) => changeSince(cwd, base, headSha ?? undefined));
  changes.catch(() => undefined);
  return { head, base: { ref: baseRef, sha }, changes };
}
