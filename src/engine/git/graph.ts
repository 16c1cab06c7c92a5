import type { ChangedFile } from './commands.js';
import type { Project, Prompt, PromptChange } from '../types.js';

export interface AffectedPrompt {
  name: string;
  file: string;
  change: PromptChange;
  head?: Prompt;
  base?: Prompt;
}

/**
 * The prompts a change touches (SPEC 2 step 2): a prompt is affected when its own file,
 * its suite, dataset, an included template (transitively), a schema or scorer it uses, or
 * the config changed. Prompts are matched across the two sides by name, so a renamed
 * file is a modification, not a removal plus an addition.
 */
export function affectedPrompts(head: Project, base: Project, changed: ChangedFile[]): AffectedPrompt[] {
  const paths = new Set(changed.flatMap((f) => (f.previous ? [f.path, f.previous] : [f.path])));
  const configChanged = [head.config.file, base.config.file].some((f) => f !== undefined && paths.has(f));
  const baseByName = new Map(base.prompts.map((p) => [p.name, p]));
  const affected: AffectedPrompt[] = [];

  for (const prompt of head.prompts) {
    const before = baseByName.get(prompt.name);
    const change: PromptChange | undefined = !before
      ? 'added'
      : paths.has(prompt.file) || paths.has(before.file)
        ? 'modified'
        : configChanged || prompt.artifact.dependencies.some((d) => paths.has(d))
          ? 'dependency'
          : undefined;
    if (change) affected.push({ name: prompt.name, file: prompt.file, change, head: prompt, ...(before ? { base: before } : {}) });
  }

  const headNames = new Set(head.prompts.map((p) => p.name));
  const brokenHead = new Set(head.brokenFiles);
  for (const prompt of base.prompts) {
    // A prompt whose head file no longer loads is not removed: its lint findings say why.
    if (!headNames.has(prompt.name) && !brokenHead.has(prompt.file)) {
      affected.push({ name: prompt.name, file: prompt.file, change: 'removed', base: prompt });
    }
  }
  return affected.sort((a, b) => a.name.localeCompare(b.name));
}
