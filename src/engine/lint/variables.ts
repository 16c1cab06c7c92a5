import { formatLocation } from '../errors.js';
import type { Case, Finding, Prompt } from '../types.js';

/** How many case ids a message names before it only counts. */
const EXAMPLE_CASES = 3;

/** template-undefined-variable: one finding per variable the templates use that some cases lack, located at the first such case. */
export function variableFindings(prompt: Prompt): Finding[] {
  const findings: Finding[] = [];
  for (const variable of prompt.artifact.variableUses) {
    const missing = prompt.suite.cases.filter((c) => !Object.hasOwn(c.vars, variable.name));
    const first = missing[0];
    if (!first) continue;
    findings.push({
      rule: 'template-undefined-variable',
      severity: 'error',
      file: first.file,
      line: first.line,
      message:
        `variable "${variable.name}" (${formatLocation(variable)}) is missing from ${describe(missing)}: ` +
        `add "${variable.name}" to ${missing.length === 1 ? 'its' : 'their'} vars`,
    });
  }
  return findings;
}

/** `case c-1 (data/x.jsonl:3)`, or `12 cases, e.g. c-1 (data/x.jsonl:3), c-2, c-5`. */
function describe(cases: Case[]): string {
  const [first, ...rest] = cases.slice(0, EXAMPLE_CASES);
  const named = [`${first!.id} (${formatLocation(first!)})`, ...rest.map((c) => c.id)].join(', ');
  return cases.length === 1 ? `case ${named}` : `${cases.length} cases, e.g. ${named}`;
}
