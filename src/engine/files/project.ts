import type { FileSource } from '../git/source.js';
import type { Project, Prompt } from '../types.js';
import { loadConfig } from './config.js';
import { LoadContext } from './context.js';
import { loadPrompt } from './prompt.js';

export { DEFAULT_CONFIG_PATH, defaultConfig, loadConfig } from './config.js';

/**
 * Loads the config and every prompt it globs, with suites and datasets. Never throws on user
 * input: problems are findings, and a prompt with any error is left out and listed in brokenFiles
 * (and in lintOnly when only its suite is broken).
 */
export function loadProject(src: FileSource, opts: { configPath?: string } = {}): Project {
  const { config, findings } = loadConfig(src, opts.configPath);
  const ctx = new LoadContext(src, config);
  const prompts: Prompt[] = [];
  const brokenFiles: string[] = [];
  const lintOnly: Prompt[] = [];

  for (const file of src.glob(config.prompts)) {
    const loaded = loadPrompt(ctx, file);
    findings.push(...loaded.findings);
    if (loaded.value) prompts.push(loaded.value);
    else brokenFiles.push(file);
    if (loaded.lintOnly) lintOnly.push(loaded.lintOnly);
  }
  return { config, prompts, findings, brokenFiles, lintOnly };
}
