import type { FileSource } from '../git/source.js';
import type { Project, Prompt } from '../types.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from './config.js';
import { invalid } from './finding.js';
import type { DatasetMemo } from './dataset.js';
import { LoadContext } from './context.js';
import { loadPrompt } from './prompt.js';

export { DEFAULT_CONFIG_PATH, defaultConfig, loadConfig } from './config.js';

export interface LoadOptions {
  /** Another config file than promptgate.yaml; undefined for the default. */
  configPath?: string | undefined;
  datasets?: DatasetMemo;
  /**
   * false: suites without the cases of their dataset files, for commands that need only each
   * prompt's name, version and model (canary check, dashboard). A 500,000-case dataset takes
   * seconds and hundreds of MB to parse, on every hourly check.
   */
  datasetCases?: boolean;
}

/**
 * Loads the config and every prompt it globs, with suites and datasets. Never throws on user
 * input: problems are findings, and a prompt with any error is left out and listed in brokenFiles
 * (and in lintOnly when only its suite is broken).
 */
export function loadProject(src: FileSource, opts: LoadOptions = {}): Project {
  const { config, findings } = loadConfig(src, opts.configPath);
  const ctx = new LoadContext(src, config, opts.datasets, opts.datasetCases ?? true);
  const prompts: Prompt[] = [];
  const brokenFiles: string[] = [];
  const lintOnly: Prompt[] = [];

  // SPEC 8: a glob that finds nothing is a configuration error, so a gate that evaluates nothing never passes silently.
  const configFile = config.file ?? DEFAULT_CONFIG_PATH;
  for (const glob of config.prompts.filter((g) => src.glob([g]).length === 0)) {
    const message = config.file
      ? `prompts: "${glob}" matches no file; fix the glob, or add prompt files (<name>.prompt.yaml) it matches`
      : `there is no ${configFile} and no prompt file matches the default glob "${glob}": name prompt files prompts/<name>.prompt.yaml, ` +
        'set prompts: in a promptgate.yaml, or run promptgate init for a working example';
    findings.push(invalid({ file: configFile }, message));
  }
  for (const file of src.glob(config.prompts)) {
    const loaded = loadPrompt(ctx, file);
    findings.push(...loaded.findings);
    if (loaded.value) prompts.push(loaded.value);
    else brokenFiles.push(file);
    if (loaded.lintOnly) lintOnly.push(loaded.lintOnly);
  }
  return { config, prompts, findings, brokenFiles, lintOnly };
}
