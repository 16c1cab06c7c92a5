// One released version ready to serve: its artifact, verified, with templates compiled in
// the gate's nunjucks environment (engine/artifact/environment.ts) so it renders at run
// time exactly as it rendered when it was evaluated (SPEC 12.1).
import type nunjucks from 'nunjucks';
import { compileTemplate, includeResolver, templateEnvironment } from '../engine/artifact/environment.js';
import { analyzeTemplate } from '../engine/artifact/template-analysis.js';
import type { PublishedArtifact, Role } from './bundle.js';
import { BundleError, PromptRenderError } from './errors.js';

export interface RenderedMessage {
  role: Role;
  content: string;
}

export class PromptVersion {
  private readonly messages: Array<{ role: Role; template: nunjucks.Template }>;
  /** Names the templates read from the caller's variables, checked before rendering as the gate does. */
  private readonly variables: string[];

  constructor(
    readonly artifact: PublishedArtifact,
    readonly sha256: string,
    where: string,
  ) {
    const templates = new Map(Object.entries(artifact.templates));
    const file = artifact.source.path ?? `${artifact.name}.prompt.yaml`;
    const resolve = includeResolver((path) => templates.get(path), file);
    const env = templateEnvironment(resolve);
    const variables = new Set<string>();
    this.messages = artifact.messages.map((message) => {
      const analysis = analyzeTemplate(message.content, { file, line: 1 }, resolve);
      const problem = analysis.problems[0];
      if (problem) throw new BundleError(`${where}: ${artifact.name}@${artifact.version} cannot render: ${problem.message}`, where);
      for (const v of analysis.variables) variables.add(v.name);
      try {
        return { role: message.role, template: compileTemplate(env, message.content, file) };
      } catch (error) {
        throw new BundleError(`${where}: ${artifact.name}@${artifact.version} does not compile: ${(error as Error).message}`, where);
      }
    });
    this.variables = [...variables];
  }

  /** Renders every message. Strict: a variable the templates read and `vars` lacks throws, naming it and the version. */
  render(vars: Record<string, unknown>): RenderedMessage[] {
    const { name, version } = this.artifact;
    for (const variable of this.variables) {
      if (!Object.hasOwn(vars, variable)) {
        throw new PromptRenderError(
          `${name}@${version}: template variable "${variable}" is not defined; pass it to render() (this version reads: ${this.variables.join(', ')})`,
          name,
          version,
          variable,
        );
      }
    }
    try {
      return this.messages.map((m) => ({ role: m.role, content: m.template.render(vars) }));
    } catch (error) {
      throw new PromptRenderError(`${name}@${version}: template failed to render: ${(error as Error).message}`, name, version);
    }
  }
}
