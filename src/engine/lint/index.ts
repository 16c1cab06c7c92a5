import type { Config, Finding, Prompt } from '../types.js';
import { modelFindings } from './models.js';
import { templateFindings } from './templates.js';
import { variableFindings } from './variables.js';
import { versionFindings } from './version.js';

export interface LintInput {
  /** Head version. */
  prompt: Prompt;
  /** The same prompt (by file path, else by name) at the base commit, if it existed. */
  base?: Prompt;
  config: Config;
}

/**
 * Findings for one prompt: invalid-file for template problems (syntax errors, missing
 * includes, include cycles), model-unpinned / model-unverified (the prompt's model and every
 * llm-judge model), version-invalid, version-not-bumped, template-undefined-variable.
 * Never throws on user input.
 */
export function lintPrompt(input: LintInput): Finding[] {
  return dedupeFindings([
    ...templateFindings(input.prompt),
    ...modelFindings(input.prompt, input.config),
    ...versionFindings(input),
    ...variableFindings(input.prompt),
  ]);
}

/**
 * Each finding once (same rule, file, line and message), in first-seen order: prompts that
 * share a suite, a dataset or a partial meet the same problem once per prompt.
 */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.rule, f.file, f.line ?? null, f.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
