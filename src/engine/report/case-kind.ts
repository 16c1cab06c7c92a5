import type { PromptReport } from '../types.js';

/** How a case moved between production and this change, as the comparison classified it. */
export type CaseKind = 'regressed' | 'improved' | 'errored' | 'unchanged';

/** Reads the report's own lists (never re-derives them from scores): id -> its kind. */
export function caseKindOf(p: PromptReport): (id: string) => CaseKind {
  const regressed = new Set(p.cases.regressed);
  const improved = new Set(p.cases.improved);
  // A case that errored on either side: the base version's errors are shown beside this change's.
  const errored = new Set([...p.cases.errored, ...(p.cases.base_errored ?? [])]);
  return (id) => (regressed.has(id) ? 'regressed' : improved.has(id) ? 'improved' : errored.has(id) ? 'errored' : 'unchanged');
}
