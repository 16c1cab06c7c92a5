// The README's release walkthrough, run line by line as written (`npx promptgate` is the
// built dist/cli.js): release, promote through a pull request the gate evaluates, publish,
// and roll back with no model call, on a copy of fixtures/example.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleModel } from '../helpers/example-model.js';
import { startModelServer, type ModelServer } from '../servers/model-server.js';
import { ROOT } from './harness.js';

const HEADING = '### Step by step on the example repository';

/** The walkthrough's shell block in the README: one command line per entry, comments kept. */
async function walkthrough(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(HEADING));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README: no sh block under "${HEADING}"`);
  return block.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
}

interface Step {
  line: string;
  code: number;
  output: string;
  /** Model responses served while the line ran. */
  calls: number;
  /** production of support-refund in bundle/manifest.json after the line, when it published. */
  published?: string;
}

let model: ModelServer;
let home: string;

beforeAll(async () => {
  model = await startModelServer(exampleModel);
  home = await mkdtemp(join(tmpdir(), 'promptgate-walkthrough-'));
});
afterAll(async () => {
  await model.close();
  await rm(home, { recursive: true, force: true });
});

describe('the README release walkthrough', () => {
  it('releases, gates the promotion, publishes, and rolls back with no model call', async () => {
    const lines = await walkthrough();
    expect(lines[0]).toMatch(/^cp -r fixtures\/example ~\/shop && cd ~\/shop/);
    const shop = join(home, 'shop');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      GIT_AUTHOR_NAME: 'reader',
      GIT_AUTHOR_EMAIL: 'reader@example.com',
      GIT_COMMITTER_NAME: 'reader',
      GIT_COMMITTER_EMAIL: 'reader@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'init.defaultBranch',
      GIT_CONFIG_VALUE_0: 'main',
      ...model.env(),
    };
    const steps: Step[] = [];
    for (const [i, line] of lines.entries()) {
      const before = model.calls.length;
      const command = line.replaceAll('npx promptgate', `node ${join(ROOT, 'dist/cli.js')}`);
      const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
        execFile('bash', ['-c', command], { cwd: i === 0 ? ROOT : shop, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
        );
      });
      const step: Step = { line, code, output, calls: model.calls.length - before };
      if (line.includes('promptgate publish')) {
        const manifest = JSON.parse(await readFile(join(shop, 'bundle/manifest.json'), 'utf8'));
        step.published = manifest.prompts['support-refund'].labels.production.version;
      }
      steps.push(step);
      expect({ line, code, output }).toMatchObject({ line, code: 0 });
    }
    const step = (pattern: RegExp, nth = 0) => steps.filter((s) => pattern.test(s.line))[nth]!;

    expect(step(/promptgate release/).calls).toBeGreaterThan(0);
    const promotion = step(/promptgate eval/, 0);
    // Evaluated like a prompt change: both versions on the suite (answers cached from their releases).
    expect(promotion.output).toContain('Affected prompts: support-refund (promotion)');
    expect(promotion.output).toContain('### ✅ support-refund · production 2.1.0 -> 2.2.0');
    expect(promotion.output).toContain('| accuracy | 90.0% | 100.0% |');
    expect(promotion.output).toContain('20/20 samples evaluated');
    const rollback = step(/promptgate eval/, 1);
    expect(rollback.output).toContain('### ✅ support-refund · rollback · production 2.2.0 -> 2.1.0');
    expect(rollback.output).toContain('0 calls · 0 cache hits');
    expect(step(/promptgate rollback/).calls + rollback.calls).toBe(0);
    expect(steps.flatMap((s) => (s.published ? [s.published] : []))).toEqual(['2.2.0', '2.1.0']);

    // Both released versions are in the bundle, byte for byte, named by the sha256 of their bytes.
    const artifacts = (await readdir(join(shop, 'bundle/artifacts'))).sort();
    const archives = ['2.1.0', '2.2.0'].map((v) => join(shop, `.promptgate/registry/support-refund/${v}.json`));
    for (const archive of archives) {
      const hash = createHash('sha256')
        .update(await readFile(archive))
        .digest('hex');
      expect(artifacts).toContain(`${hash}.json`);
    }
    expect(await readFile(join(shop, '.promptgate/releases.yaml'), 'utf8')).toContain('production: 2.1.0');
  });
});
