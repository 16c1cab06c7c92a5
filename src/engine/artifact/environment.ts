// The one nunjucks environment every prompt renders in: the gate when it evaluates a
// version and the runtime library when an application renders it (SPEC 12.1), so a version
// renders at run time exactly as it rendered when evaluated. Free of fs and SDK imports:
// templates come through a resolver (a commit's files, or an artifact's `templates` map).
import { posix } from 'node:path';
import nunjucks from 'nunjucks';
import type { TemplateFile, TemplateResolver } from './template-analysis.js';

/** Reads repo-relative paths: a commit's files, the working tree, or an artifact's `templates`. */
export type ReadText = (path: string) => string | undefined;

/** Include resolution (SPEC 1.2, 9): relative to the prompt file, then the repo root; never outside the repo. */
export function includeResolver(read: ReadText, promptFile: string): TemplateResolver {
  return (name) => {
    const candidates = [posix.join(posix.dirname(promptFile), name), posix.normalize(name)];
    for (const path of new Set(candidates)) {
      if (path === '..' || path.startsWith('../') || posix.isAbsolute(path)) continue;
      const text = read(path);
      if (text !== undefined) return { path, text };
    }
    return undefined;
  };
}

/** Serves templates from a resolver instead of the file system. */
class ResolverLoader extends nunjucks.Loader {
  constructor(private readonly find: TemplateResolver) {
    super();
  }

  getSource(name: string): nunjucks.LoaderSource | null {
    const found: TemplateFile | undefined = this.find(name);
    return found ? { src: found.text, path: found.path, noCache: false } : null;
  }

  /** Every name resolves from the prompt file, whoever includes it (SPEC 9), so none is relative to its includer. */
  override isRelative(): boolean {
    return false;
  }
}

/**
 * The environment of one prompt: undefined variables throw (never an empty string), no
 * autoescaping, includes only through `resolve`, and no globals beyond nunjucks' own, so
 * nothing of the process environment is visible to a template (SPEC 1.2).
 */
export function templateEnvironment(resolve: TemplateResolver): nunjucks.Environment {
  const loader = new ResolverLoader(resolve) as unknown as nunjucks.ILoader;
  return new nunjucks.Environment(loader, { autoescape: false, throwOnUndefined: true });
}

/** Compiles one template source in `env` now, so syntax errors surface before the first render. */
export function compileTemplate(env: nunjucks.Environment, source: string, file: string): nunjucks.Template {
  return new nunjucks.Template(source, env, file, true);
}
