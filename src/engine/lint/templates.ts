import type { Finding, Prompt } from '../types.js';

/**
 * invalid-file for what keeps a prompt's templates from rendering: syntax errors, missing includes, include cycles.
 * Located where the problem is, not per prompt: a partial shared by several prompts is one
 * finding once deduplicated.
 */
export function templateFindings(prompt: Prompt): Finding[] {
  return prompt.artifact.problems.map((problem) => ({
    rule: 'invalid-file',
    severity: 'error',
    file: problem.file,
    ...(problem.line !== undefined ? { line: problem.line } : {}),
    message: problem.message,
  }));
}
