import nunjucks from 'nunjucks';
import type { TemplateResolver } from './template-analysis.js';
/** Reads repo-relative paths: a commit's files, the working tree, or an artifact's `templates`. */
export type ReadText = (path: string) => string | undefined;
/** Include resolution (SPEC 1.2, 9): relative to the prompt file, then the repo root; never outside the repo. */
export declare function includeResolver(read: ReadText, promptFile: string): TemplateResolver;
/**
 * The environment of one prompt: undefined variables throw (never an empty string), no
 * autoescaping, includes only through `resolve`, and no globals beyond nunjucks' own, so
 * nothing of the process environment is visible to a template (SPEC 1.2).
 */
export declare function templateEnvironment(resolve: TemplateResolver): nunjucks.Environment;
/** Compiles one template source in `env` now, so syntax errors surface before the first render. */
export declare function compileTemplate(env: nunjucks.Environment, source: string, file: string): nunjucks.Template;
