import type { Finding, Location, RuleId } from '../types.js';

/** An `invalid-file` error: the file does not parse or does not match its schema. */
export function invalid(loc: Location, message: string): Finding {
  return finding('invalid-file', loc, message);
}

export function finding(rule: RuleId, loc: Location, message: string): Finding {
  return { rule, severity: 'error', ...loc, message };
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
