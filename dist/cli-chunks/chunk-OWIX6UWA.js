#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/engine/report/case-kind.ts
function caseKindOf(p) {
  const regressed = new Set(p.cases.regressed);
  const improved = new Set(p.cases.improved);
  const errored = /* @__PURE__ */ new Set([...p.cases.errored, ...p.cases.base_errored ?? []]);
  return (id) => regressed.has(id) ? "regressed" : improved.has(id) ? "improved" : errored.has(id) ? "errored" : "unchanged";
}

export {
  caseKindOf
};
