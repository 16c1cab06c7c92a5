// Rendering of prompt and metric templates in the one nunjucks environment (environment.ts),
// with the checks that make a failed render say which variable or include is missing.
import type nunjucks from 'nunjucks';
import { compileTemplate, includeResolver, templateEnvironment } from './environment.js';
import { UserError, formatLocation } from '../errors.js';
import type { ReadText } from './environment.js';
import { analyzeTemplate, type TemplateAnalysis, type TemplateResolver } from './template-analysis.js';
import type { Case, ChatMessage, MessageTemplate, Prompt } from '../types.js';

/** Reads a repo-relative file's text: a commit's or working tree's files (a FileSource), or an archived artifact's templates. */
export interface TemplateReader {
  read: ReadText;
}

/** Where a template is written: its file and the line of the YAML key that holds it. */
export interface TemplateWhere {
  file: string;
  line?: number;
}

/**
 * The 1-based line a template's text starts on. The key's line for `content: "..."`; the
 * next line for a block scalar (`content: |`), whose text begins below its header.
 */
function templateStartLine(src: TemplateReader, where: TemplateWhere): number {
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
    private readonly src: TemplateReader,
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

export function messageWhere(prompt: Pick<Prompt, 'file'>, message: MessageTemplate): TemplateWhere {
  return { file: prompt.file, line: message.line };
}

export function renderMessages(
  prompt: Pick<Prompt, 'file' | 'messages'>,
  templates: PromptTemplates,
  vars: Record<string, unknown>,
): ChatMessage[] {
  return prompt.messages.map((m) => ({ role: m.role, content: templates.render(m.content, vars, messageWhere(prompt, m)) }));
}

/** Metric `value` templates: see the case vars as top-level names plus `expected` and `case` ({id, tags}) (SPEC 9). */
export function renderMetricValue(templates: PromptTemplates, source: string, c: Case, where: { file: string; line?: number }): string {
  // Each field read once: a JSON Lines case parses its line at every read.
  const { expected } = c;
  const vars: Record<string, unknown> = { ...c.vars, case: { id: c.id, tags: c.tags ?? [] } };
  // Left out when absent, so a value reading `expected` reports the case as missing it.
  if (expected !== undefined) vars['expected'] = expected;
  return templates.render(source, vars, where);
}
