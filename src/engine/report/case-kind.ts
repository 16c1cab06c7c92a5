import type { PromptReport } from '../types.js';

/** How a case moved between production and this change, as the comparison classified it. */
export type CaseKind = 'regressed' | 'improved' | 'errored' | 'unchanged';

/** Reads the report's own lists (never re-derives them from scores): id -> its kind. */
export function caseKindOf(p: PromptReport): (id: string) => CaseKind {
  const regressed = new Set(p.cases.regressed);
  const improved = new Set(p.cases.improved);
  const errored = new Set(erroredIds(p));
  return (id) => (regressed.has(id) ? 'regressed' : improved.has(id) ? 'improved' : errored.has(id) ? 'errored' : 'unchanged');
}

/** Whether some case is of a kind other than unchanged. */
export function hasChangedCases(p: PromptReport): boolean {
  return p.cases.regressed.length > 0 || p.cases.improved.length > 0 || erroredIds(p).length > 0;
}

/** A case that errored on either side: the base version's errors are shown beside this change's. */
function erroredIds(p: PromptReport): string[] {
  return [...p.cases.errored, ...(p.cases.base_errored ?? [])];
}
