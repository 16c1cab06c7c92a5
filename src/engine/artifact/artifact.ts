// One prompt version as the rest of the engine sees it: built once, right after loading,
// from the prompt and the files at its commit. The graph, lint, baseline planning and
// evaluation read it; the release archive (SPEC 10.2) stores its archived fields as they are.
import { artifactHash, stableHash } from './hash.js';
import { PromptTemplates, messageWhere, type TemplateReader } from './template.js';
import type { TemplateAnalysis } from './template-analysis.js';
import type { FileSource } from '../git/source.js';
import type { ModelRef, Prompt, PromptArtifact, Suite } from '../types.js';

/** A prompt as its file describes it, before its artifact is built. */
export type PromptSource = Omit<Prompt, 'artifact'>;

/**
 * Builds the artifact of `prompt` as `src` holds it (`src` also holds its suite's files, unless
 * `suiteOf`, the artifact whose suite it shares, is given). Never throws on user input.
 */
export function buildArtifact(prompt: PromptSource, src: FileSource, suiteOf?: PromptArtifact): PromptArtifact {
  const analyses = analyzeMessages(prompt, src);
  const included = includedIn(analyses);
  const templates = Object.fromEntries(included.flatMap((f) => (src.read(f) === undefined ? [] : [[f, src.read(f)!]])));
  const variableUses = variablesIn(analyses);
  let suite: string | undefined;
  return {
    name: prompt.name,
    version: prompt.version,
    hash: artifactHash({ messages: prompt.messages, includes: templates, model: prompt.model }),
    model: modelIdentity(prompt.model),
    messages: prompt.messages.map(({ role, content }) => ({ role, content })),
    templates,
    variables: variableUses.map((v) => v.name),
    file: prompt.file,
    // On first use: hashing a 50,000-case suite is start-up time a run without stored baselines never needs.
    get suiteHash() {
      return (suite ??= suiteOf ? suiteOf.suiteHash : suiteHash(prompt.suite, src));
    },
    dependencies: dependenciesOf(prompt, included),
    variableUses,
    problems: analyses.flatMap((a) => a.problems),
  };
}

/** The loaded prompt with its artifact: what the loader hands to the rest of the engine. */
export function withArtifact(prompt: PromptSource, src: FileSource): Prompt {
  return { ...prompt, artifact: buildArtifact(prompt, src) };
}

function analyzeMessages(prompt: PromptSource, src: TemplateReader): TemplateAnalysis[] {
  const templates = new PromptTemplates(src, prompt.file);
  return prompt.messages.map((m) => templates.analyze(m.content, messageWhere(prompt, m)));
}

function includedIn(analyses: TemplateAnalysis[]): string[] {
  return [...new Set(analyses.flatMap((a) => a.files))].sort();
}

/** Free variables the templates read from the case, with the first place each is used. Names bound by for/set/macro/loop and nunjucks globals are not free. */
function variablesIn(analyses: TemplateAnalysis[]): Array<{ name: string; file: string; line: number }> {
  const first = new Map<string, { name: string; file: string; line: number }>();
  for (const analysis of analyses) {
    for (const v of analysis.variables) if (!first.has(v.name)) first.set(v.name, v);
  }
  return [...first.values()];
}

function modelIdentity(model: ModelRef): { provider: string; name: string; params: Record<string, unknown> } {
  return { provider: model.provider, name: model.name, params: model.params };
}

/** Identity of the suite: repeat, metrics (type, value, rubric, judge model, and the TEXT of schema / script files), cases (id, vars, expected, tags). Not line numbers. */
function suiteHash(suite: Suite, src: FileSource): string {
  const text = (path: string | undefined) => (path === undefined ? null : (src.read(path) ?? null));
  return stableHash({
    repeat: suite.repeat,
    // Names key the stored scores, so renaming a metric changes the identity too.
    metrics: suite.metrics.map((m) => ({
      name: m.name,
      type: m.type,
      value: m.value ?? null,
      rubric: m.rubric ?? null,
      judge: m.model ? modelIdentity(m.model) : null,
      schema: text(m.schema),
      script: text(m.path),
    })),
    // Scores are keyed by case id, so the order cases are written in does not matter.
    cases: Array.from(suite.cases, (c) => ({ id: c.id, vars: c.vars, expected: c.expected ?? null, tags: c.tags ?? [] })).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    ),
  });
}

/** Every file a prompt depends on (SPEC 2 step 2): the prompt file, the suite file, the dataset, included templates (transitively), json-schema and script files. Sorted, unique, repo-relative. */
function dependenciesOf(prompt: PromptSource, included: string[]): string[] {
  const { suite } = prompt;
  const files = [
    prompt.file,
    prompt.suiteFile,
    suite.file,
    suite.dataset,
    ...included,
    ...suite.metrics.flatMap((m) => [m.schema, m.path]),
  ];
  return [...new Set(files.filter((f): f is string => f !== undefined))].sort();
}
