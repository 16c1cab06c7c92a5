// Published bundles (SPEC 10.4): written straight from the SPEC's formats, for runtime tests
// that need shapes `promptgate publish` does not make from the example repo (canaries,
// segments, broken files), or made by `promptgate publish` from fixtures/example.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { promptgate } from './cli-bin.js';
import { tempRepo } from './example-repo.js';

export interface TestVersion {
  name: string;
  version: string;
  messages: Array<{ role: string; content: string }>;
  templates?: Record<string, string>;
  model?: Record<string, unknown>;
  /** The prompt file's repo-relative path (includes resolve from it). */
  path?: string;
}

export interface TestRelease {
  labels: Record<string, string>;
  segments?: Record<string, Record<string, string>>;
  canary?: { version: string; steps: number[]; step: number; salt?: string };
}

export const BUNDLE_COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** The archive file of SPEC 10.2 for one version. */
export function artifactText(v: TestVersion): string {
  const path = v.path ?? `prompts/${v.name}.prompt.yaml`;
  const artifact = {
    schema: 'promptgate/artifact@1',
    name: v.name,
    version: v.version,
    hash: `sha256:${createHash('sha256')
      .update(JSON.stringify([v.messages, v.templates, v.model]))
      .digest('hex')}`,
    model: v.model ?? { provider: 'openai', name: 'gpt-4o-2024-11-20', temperature: 0 },
    messages: v.messages,
    templates: v.templates ?? {},
    variables: [],
    source: { path, commit: BUNDLE_COMMIT, url: `https://github.com/acme/app/blob/${BUNDLE_COMMIT}/${path}` },
    eval: { suite_hash: 'sha256:0', metrics: {} },
    released_at: '2026-11-30T10:00:00Z',
    tool_version: '0.1.0',
  };
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Writes manifest.json and artifacts/<sha256>.json; returns the sha256 of each `name@version`. */
export function writeBundle(dir: string, versions: TestVersion[], releases: Record<string, TestRelease>): Map<string, string> {
  mkdirSync(join(dir, 'artifacts'), { recursive: true });
  const shas = new Map<string, string>();
  for (const v of versions) {
    const text = artifactText(v);
    const sha = sha256(text);
    writeFileSync(join(dir, 'artifacts', `${sha}.json`), text);
    shas.set(`${v.name}@${v.version}`, sha);
  }
  const ref = (name: string, version: string) => {
    const sha = shas.get(`${name}@${version}`);
    if (!sha) throw new Error(`test bundle: no version ${name}@${version}`);
    return { version, sha256: sha };
  };
  const refs = (name: string, labels: Record<string, string>) =>
    Object.fromEntries(Object.entries(labels).map(([l, v]) => [l, ref(name, v)]));
  const prompts = Object.fromEntries(
    Object.entries(releases).map(([name, r]) => [
      name,
      {
        labels: refs(name, r.labels),
        ...(r.segments && { segments: Object.fromEntries(Object.entries(r.segments).map(([s, l]) => [s, refs(name, l)])) }),
        ...(r.canary && { canary: { ...r.canary, ...ref(name, r.canary.version), started_at: '2026-11-30T10:00:00Z' } }),
      },
    ]),
  );
  const manifest = { schema: 'promptgate/manifest@1', generated_at: '2026-11-30T10:00:00Z', commit: BUNDLE_COMMIT, prompts };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return shas;
}

/** A two-version prompt with an include, as most runtime tests serve it. */
export const REFUND_V1: TestVersion = {
  name: 'support-refund',
  version: '2.1.0',
  path: 'prompts/support-refund.prompt.yaml',
  messages: [
    { role: 'system', content: '{% include "partials/tone.njk" %}\nYou are a support agent for {{ company_name }}.' },
    { role: 'user', content: '{{ question }}' },
  ],
  templates: { 'partials/tone.njk': 'Be kind & brief.' },
};

export const REFUND_V2: TestVersion = {
  ...REFUND_V1,
  version: '2.2.0',
  messages: [
    { role: 'system', content: '{% include "partials/tone.njk" %}\nYou work for {{ company_name }}.{% if vip %} VIP customer.{% endif %}' },
    { role: 'user', content: '{{ question }}' },
  ],
};

/**
 * The bundle a user of fixtures/example publishes: a temporary git repository of it,
 * `promptgate release` (models answered at `modelEnv`), every prompt promoted to
 * production, committed, then `promptgate publish --out outDir`, all through dist/cli.js.
 */
export async function publishExample(outDir: string, modelEnv: Record<string, string>): Promise<void> {
  const repo = await tempRepo();
  try {
    const run = async (...args: string[]) => {
      const { code, stdout, stderr } = await promptgate(repo.dir, args, modelEnv);
      if (code !== 0) throw new Error(`promptgate ${args.join(' ')} exited ${code}:\n${stdout}${stderr}`);
    };
    await run('release');
    await repo.commit('Release prompts');
    for (const file of readdirSync(join(repo.dir, 'prompts'))) {
      const prompt = parse(readFileSync(join(repo.dir, 'prompts', file), 'utf8')) as { name: string; version: string };
      await run('promote', prompt.name, prompt.version);
    }
    await repo.commit('Promote to production');
    await run('publish', '--out', outDir);
  } finally {
    await repo.remove();
  }
}
