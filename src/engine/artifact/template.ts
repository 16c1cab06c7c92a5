// Rendering of prompt and metric templates, and the identities (hashes, dependency lists)
// that follow from what a prompt's templates include.
import type nunjucks from 'nunjucks';
import { compileTemplate, includeResolver, templateEnvironment } from './environment.js';
import { UserError, formatLocation } from '../errors.js';
import { artifactHash, stableHash } from './hash.js';
import type { FileSource } from '../git/source.js';
import { analyzeTemplate, type TemplateAnalysis, type TemplateProblem, type TemplateResolver } from './template-analysis.js';
import type { Case, ChatMessage, MessageTemplate, ModelRef, Prompt, Suite } from '../types.js';

export type { TemplateProblem } from './template-analysis.js';

/** Where a template is written: its file and the line of the YAML key that holds it. */
export interface TemplateWhere {
  file: string;
  line?: number;
}

/**
 * The 1-based line a template's text starts on. The key's line for `content: "..."`; the
 * next line for a block scalar (`content: |`), whose text begins below its header.
 */
function templateStartLine(src: FileSource, where: TemplateWhere): number {
  if (where.line === undefined) return 1;
  const keyLine = src.read(where.file)?.split('\n')[where.line - 1] ?? '';
  const header = keyLine.replace(/\s+#.*$/, '').trimEnd();
  return /:\s*[|>][0-9+-]*$/.test(header) ? where.line + 1 : where.line;
}

/** The nunjucks environment of one prompt: includes resolve relative to the prompt file, then the repo root, read through `src`. */
export class PromptTemplates {
  private readonly resolve: TemplateResolver;
  private readonly env: nunjucks.Environment;
  private readonly compiled = new Map<string, nunjucks.Template>();
  private readonly analyses = new Map<string, TemplateAnalysis>();

  constructor(
    private readonly src: FileSource,
    promptFile: string,
  ) {
    this.resolve = includeResolver((path) => src.read(path), promptFile);
    this.env = templateEnvironment(this.resolve);
  }

  /** Renders one template string. Throws UserError (with Location {file, line}) naming the variable on undefined variables, the missing include, or an include cycle. */
  render(source: string, vars: Record<string, unknown>, where: { file: string; line?: number }): string {
    const analysis = this.analyze(source, where);
    const problem = analysis.problems[0];
    if (problem) throw new UserError(`${formatLocation(problem)}: ${problem.message}`, { file: problem.file, line: problem.line });
    // nunjucks renders an absent name as nothing inside `for` and `if`, so check them all first.
    const missing = analysis.variables.find((v) => !Object.hasOwn(vars, v.name));
    if (missing) {
      throw new UserError(
        `${formatLocation(missing)}: template variable "${missing.name}" is not defined for this case. ` +
          `Add "${missing.name}" to the case's vars, or guard it with {% if ${missing.name} is defined %}.`,
        { file: missing.file, line: missing.line },
      );
    }
    try {
      return this.template(source, where.file).render(vars);
    } catch (error) {
      throw new UserError(`${formatLocation(where)}: template failed to render: ${(error as Error).message}`, where);
    }
  }

  /** Free variables, files and problems of one template; cached, as thousands of cases share a template. */
  analyze(source: string, where: TemplateWhere): TemplateAnalysis {
    const key = `${where.file}\0${where.line}\0${source}`;
    let analysis = this.analyses.get(key);
    if (!analysis) {
      analysis = analyzeTemplate(source, { file: where.file, line: templateStartLine(this.src, where) }, this.resolve);
      this.analyses.set(key, analysis);
    }
    return analysis;
  }

  private template(source: string, file: string): nunjucks.Template {
    let template = this.compiled.get(source);
    if (!template) {
      template = compileTemplate(this.env, source, file);
      this.compiled.set(source, template);
    }
    return template;
  }
}

function messageWhere(prompt: Prompt, message: MessageTemplate): TemplateWhere {
  return { file: prompt.file, line: message.line };
}

export function renderMessages(prompt: Prompt, templates: PromptTemplates, vars: Record<string, unknown>): ChatMessage[] {
  return prompt.messages.map((m) => ({ role: m.role, content: templates.render(m.content, vars, messageWhere(prompt, m)) }));
}

/** Metric `value` templates: see the case vars as top-level names plus `expected` and `case` ({id, tags}) (SPEC 9). */
export function renderMetricValue(templates: PromptTemplates, source: string, c: Case, where: { file: string; line?: number }): string {
  const vars: Record<string, unknown> = { ...c.vars, case: { id: c.id, tags: c.tags ?? [] } };
  // Left out when absent, so a value reading `expected` reports the case as missing it.
  if (c.expected !== undefined) vars['expected'] = c.expected;
  return templates.render(source, vars, where);
}

function analyzeMessages(prompt: Prompt, src: FileSource): TemplateAnalysis[] {
  const templates = new PromptTemplates(src, prompt.file);
  return prompt.messages.map((m) => templates.analyze(m.content, messageWhere(prompt, m)));
}

/** Repo-relative paths of every file the prompt's messages include/import/extend, transitively, sorted. Missing includes and cycles are returned as problems instead of thrown. */
export function includedFiles(prompt: Prompt, src: FileSource): { files: string[]; problems: TemplateProblem[] } {
  const analyses = analyzeMessages(prompt, src);
  return {
    files: [...new Set(analyses.flatMap((a) => a.files))].sort(),
    problems: analyses.flatMap((a) => a.problems),
  };
}

function modelIdentity(model: ModelRef): unknown {
  return { provider: model.provider, name: model.name, params: model.params };
}

/** Identity of the artifact: messages (role + template text), the text of every included file, and model (provider, name, params). Not the suite, not version/description. */
export function promptHash(prompt: Prompt, src: FileSource): string {
  const { files } = includedFiles(prompt, src);
  return artifactHash({
    messages: prompt.messages,
    includes: Object.fromEntries(files.map((f) => [f, src.read(f) ?? null])),
    model: prompt.model,
  });
}

/** Identity of the suite: repeat, metrics (type, value, rubric, judge model, and the TEXT of schema / script files), cases (id, vars, expected, tags). Not line numbers. */
export function suiteHash(suite: Suite, src: FileSource): string {
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
    cases: suite.cases
      .map((c) => ({ id: c.id, vars: c.vars, expected: c.expected ?? null, tags: c.tags ?? [] }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  });
}

/** Every file a prompt depends on (SPEC 2 step 2): the prompt file, the suite file, the dataset, included templates (transitively), json-schema and script files. Sorted, unique, repo-relative. */
export function promptDependencies(prompt: Prompt, src: FileSource): string[] {
  const { suite } = prompt;
  const files = [
    prompt.file,
    prompt.suiteFile,
    suite.file,
    suite.dataset,
    ...includedFiles(prompt, src).files,
    ...suite.metrics.flatMap((m) => [m.schema, m.path]),
  ];
  return [...new Set(files.filter((f): f is string => f !== undefined))].sort();
}

/** Free variables the prompt's templates read from the case (including inside includes, loops, conditionals, filters' arguments), with the first place each is used. Names bound by for/set/macro/loop and nunjucks globals (range, cycler, joiner, loop) are not free. */
export function templateVariables(prompt: Prompt, src: FileSource): Array<{ name: string; file: string; line: number }> {
  const first = new Map<string, { name: string; file: string; line: number }>();
  for (const analysis of analyzeMessages(prompt, src)) {
    for (const v of analysis.variables) if (!first.has(v.name)) first.set(v.name, v);
  }
  return [...first.values()];
}
