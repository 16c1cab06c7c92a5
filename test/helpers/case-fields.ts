import type { Case, CaseList } from '../../src/engine/types.js';

/** A case as plain data: JSON Lines cases read vars, expected and tags from their line on use. */
export function caseFields(c: Case | undefined): Case | undefined {
  if (!c) return c;
  return {
    id: c.id,
    vars: c.vars,
    ...(c.expected !== undefined && { expected: c.expected }),
    ...(c.tags && { tags: c.tags }),
    file: c.file,
    ...(c.line !== undefined && { line: c.line }),
  };
}

/** A loaded case list's cases as an array (a JSON Lines dataset's list is not one). */
export function caseArray(loaded: { value?: CaseList }): Case[] | undefined {
  return loaded.value && [...loaded.value];
}
