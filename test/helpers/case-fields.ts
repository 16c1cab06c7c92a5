import type { Case } from '../../src/engine/types.js';

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
