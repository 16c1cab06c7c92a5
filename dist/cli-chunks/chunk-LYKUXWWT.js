#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/engine/report/case-kind.ts
function caseKindOf(p) {
  const regressed = new Set(p.cases.regressed);
  const improved = new Set(p.cases.improved);
  const errored = new Set(erroredIds(p));
  return (id) => regressed.has(id) ? "regressed" : improved.has(id) ? "improved" : errored.has(id) ? "errored" : "unchanged";
}
function hasChangedCases(p) {
  return p.cases.regressed.length > 0 || p.cases.improved.length > 0 || erroredIds(p).length > 0;
}
function erroredIds(p) {
  return [...p.cases.errored, ...p.cases.base_errored ?? []];
}

export {
  caseKindOf,
  hasChangedCases
};
