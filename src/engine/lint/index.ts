import type { FileSource } from '../source.js';
import type { Config, Finding, Prompt } from '../types.js';
import { modelFindings } from './models.js';
import { variableFindings } from './variables.js';
import { versionFindings } from './version.js';

export interface LintInput {
  /** Head version. */
  prompt: Prompt;
  headSrc: FileSource;
  /** The same prompt (by file path, else by name) at the base commit, if it existed. */
  base?: Prompt;
  baseSrc?: FileSource;
  config: Config;
}

/**
 * Findings for one prompt: model-unpinned / model-unverified (the prompt's model and every
 * llm-judge model), version-invalid, version-not-bumped, template-undefined-variable.
 * Never throws on user input.
 */
export function lintPrompt(input: LintInput): Finding[] {
  return [...modelFindings(input.prompt, input.config), ...versionFindings(input), ...variableFindings(input.prompt, input.headSrc)];
}
