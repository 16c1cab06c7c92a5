// `promptgate release` (SPEC 11): which prompt versions to archive, and the archive entry
// of each. All or nothing: a refused prompt stops the whole release before any file is
// written, so a failed release leaves no partial archive.
import type { FileSource } from '../git/source.js';
import { dedupeFindings, lintPrompt } from '../lint/index.js';
import type { Finding, Project, Prompt } from '../types.js';
import { releaseFindings } from './lint.js';
import { archived, type Registry } from './registry.js';

export interface ReleasePlan {
  /** Current versions without an archive entry, to be archived. */
  targets: Prompt[];
  /** Current versions already archived with the same content: nothing to do. */
  upToDate: Prompt[];
  /** Why the release is refused: errors of the targets and of the registry itself. Empty: go ahead. */
  refusals: Finding[];
}

/**
 * Picks what `release [NAME...]` archives (the run has checked that every name names a prompt).
 * A target with any lint error (SPEC 5, 10.3) refuses the release.
 */
export function planRelease(project: Project, registry: Registry, src: FileSource, names: string[]): ReleasePlan {
  const all = [...project.prompts, ...project.lintOnly];
  const chosen = names.length ? all.filter((p) => names.includes(p.name)) : all;
  const registryProblems = releaseFindings({ registry, prompts: all, src, config: project.config }).filter(
    (f) => f.rule !== 'version-already-released' && f.severity === 'error',
  );
  const plan: ReleasePlan = { targets: [], upToDate: [], refusals: [...registryProblems] };
  for (const prompt of chosen) {
    const entry = archived(registry, prompt.name, prompt.version);
    if (entry && entry.archive.hash === prompt.artifact.hash) {
      plan.upToDate.push(prompt);
      continue;
    }
    const own = promptFindings(project, prompt);
    if (entry)
      own.push(
        ...releaseFindings({ registry, prompts: [prompt], src, config: project.config }).filter(
          (f) => f.rule === 'version-already-released',
        ),
      );
    if (own.length) plan.refusals.push(...own);
    else plan.targets.push(prompt);
  }
  plan.refusals = dedupeFindings(plan.refusals);
  return plan;
}

/** Errors in the prompt's own files (loading) and from its lint rules. */
function promptFindings(project: Project, prompt: Prompt): Finding[] {
  const files = new Set([prompt.file, prompt.suiteFile, prompt.suite.file, prompt.suite.dataset]);
  const unsound = project.lintOnly.includes(prompt);
  return [
    ...project.findings.filter((f) => files.has(f.file) && f.severity === 'error'),
    ...lintPrompt({ prompt, config: project.config }).filter((f) => f.severity === 'error'),
    ...(unsound && !project.findings.some((f) => files.has(f.file))
      ? [
          {
            rule: 'invalid-file' as const,
            severity: 'error' as const,
            file: prompt.suite.file,
            message: `the suite of ${prompt.name} does not load`,
          },
        ]
      : []),
  ];
}
