import { formatLocation } from '../errors.js';
import type { Case, Finding, Prompt } from '../types.js';

/** How many case ids a message names before it only counts. */
const EXAMPLE_CASES = 3;

/** template-undefined-variable: one finding per variable the templates use that some cases lack, located at the first such case. */
export function variableFindings(prompt: Prompt): Finding[] {
  const missingBy = new Map(prompt.artifact.variableUses.map((variable) => [variable, [] as Case[]]));
  if (missingBy.size) {
    for (const c of prompt.suite.cases) {
      // One read a case: a JSON Lines case parses its line at each.
      const vars = c.vars;
      for (const [variable, missing] of missingBy) if (!Object.hasOwn(vars, variable.name)) missing.push(c);
    }
  }
  const findings: Finding[] = [];
  for (const [variable, missing] of missingBy) {
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
