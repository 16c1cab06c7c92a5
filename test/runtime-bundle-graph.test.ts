import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The global setup bundles dist/ from the source; esbuild marks each bundled module with a `// path` comment.
const bundle = readFileSync(new URL('../dist/runtime/index.js', import.meta.url), 'utf8');
const modules = [...bundle.matchAll(/^\/\/ (\S+\.(?:[cm]?js|ts|json))$/gm)].map((m) => m[1] as string);
/** The package a bundled module came from (node_modules may sit anywhere, e.g. behind a symlink). */
const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
const imports = [...bundle.matchAll(/^import .* from "([^"]+)";$|import\(([^)]+)\)/gm)].map((m) => (m[1] ?? m[2]) as string);

describe('the runtime entry (dist/runtime/index.js)', () => {
  it('bundles only the runtime, the shared nunjucks environment and nunjucks: nothing of the action, the CLI or model SDKs', () => {
    expect(modules.length).toBeGreaterThan(10);
    const packages = new Set(modules.map(packageOf).filter((p) => p !== undefined));
    expect([...packages].sort()).toEqual(['a-sync-waterfall', 'asap', 'nunjucks']);
    const sources = new Set(modules.filter((m) => packageOf(m) === undefined));
    const outsideRuntime = [...sources].filter((m) => !m.startsWith('src/runtime/')).sort();
    expect(outsideRuntime).toEqual(['src/engine/artifact/environment.ts', 'src/engine/artifact/template-analysis.ts']);
  });

  it('imports only Node builtins, and @opentelemetry/api by name at run time', () => {
    const external = imports.filter((name) => !name.startsWith('node:'));
    expect(external).toEqual(['OTEL_API']);
    expect(bundle).toContain('var OTEL_API = "@opentelemetry/api"');
    for (const forbidden of ['@actions/', '@octokit/', 'openai', '@anthropic-ai/sdk']) {
      expect(modules.some((m) => packageOf(m)?.startsWith(forbidden))).toBe(false);
      expect(imports.some((m) => m.includes(forbidden))).toBe(false);
    }
  });
});
