import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The global setup bundles dist/ from the source. What `promptgate eval` compiles before its
// first model request is dist/cli.js and the chunks it imports statically, then the eval
// command's chunk (run-engine-*) and its own static imports; dynamic imports load on use.
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const chunks = join(dist, 'cli-chunks');

function staticClosure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from |^import )"(\.[^"]+)";$/gm)) visit(join(dirname(file), m[1]!));
  };
  for (const entry of entries) visit(entry);
  return seen;
}

/** The packages bundled into these files (esbuild marks each module with a `// path` comment). */
function modulesOf(files: Set<string>): string[] {
  return [...files].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\/\/ (node_modules\/\S+)$/gm)].map((m) => m[1]!));
}

const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];

describe('what promptgate eval compiles at start-up', () => {
  const runEngine = readdirSync(chunks).find((name) => name.startsWith('run-engine-'));
  const loaded = modulesOf(staticClosure([join(dist, 'cli.js'), join(chunks, runEngine!)]));
  const packages = new Set(loaded.map(packageOf));

  it('holds the loaders it always needs', () => {
    for (const needed of ['yaml', 'nunjucks', 'zod', 'picomatch']) expect(packages).toContain(needed);
  });

  it('leaves out each model SDK and ajv until a run needs them, and zod locales other than English', () => {
    for (const lazy of ['openai', '@anthropic-ai/sdk', 'ajv', 'ajv-formats']) expect(packages).not.toContain(lazy);
    const locales = loaded.filter((m) => /node_modules\/zod\/.*\/locales\/(?!index)/.test(m)).map((m) => m.split('/').pop());
    expect(locales).toEqual(['en.js']);
  });

  it('finds the SDKs and ajv as chunks of their own, loaded by dynamic import', () => {
    const all = modulesOf(
      new Set(
        readdirSync(chunks)
          .filter((n) => n.endsWith('.js'))
          .map((n) => join(chunks, n)),
      ),
    );
    const bundled = new Set(all.map(packageOf));
    for (const lazy of ['openai', '@anthropic-ai/sdk', 'ajv']) expect(bundled).toContain(lazy);
  });
});
