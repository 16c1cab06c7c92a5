// The response cache under SIGKILL: the built CLI is killed at random moments of a run,
// again and again; no entry is ever truncated, a stale temporary file is never read as an
// entry and is cleaned up, and the rerun asks the model only what was not cached.
import { spawn } from 'node:child_process';
import { readdir, readFile, rename, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/engine/types.js';
import { ROOT } from './e2e/harness.js';
import { runCli } from './helpers/cli.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { TONE_REGRESSION, exampleModel } from './helpers/example-model.js';
import { bumpPatch } from './helpers/example-repo.js';

const fixture = useExampleFixture();
const KILLS = 10;

/** Every file under the cache directory, by kind. */
async function cacheFiles(cacheDir: string): Promise<{ entries: string[]; temps: string[] }> {
  const entries: string[] = [];
  const temps: string[] = [];
  for (const shard of await readdir(cacheDir).catch(() => [])) {
    for (const file of await readdir(join(cacheDir, shard))) {
      if (file.endsWith('.json')) entries.push(join(cacheDir, shard, file));
      else if (file.endsWith('.tmp')) temps.push(join(cacheDir, shard, file));
    }
  }
  return { entries, temps };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the model server has seen `count` calls, or the process is done. */
async function untilCalls(count: number, done: () => boolean): Promise<void> {
  while (fixture.server.calls.length < count && !done()) await sleep(5);
}

describe('the response cache when the CLI is killed', () => {
  it('never holds a truncated entry, and the rerun re-asks only what was not cached', { timeout: 300_000 }, async () => {
    // Slow answers, two at a time: kills land between calls, during them and during cache writes.
    fixture.server.handle(async (call, index) => ({ ...(await exampleModel(call, index)), latencyMs: 100 }));
    const repo = await fixture.repo();
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit({ 'partials/tone.njk': (old) => old + TONE_REGRESSION, 'prompts/support-refund.prompt.yaml': bumpPatch });
    await repo.commit('change');
    const cacheDir = join(repo.dir, '.promptgate/cache');
    const total = 20; // support-refund: 10 cases, head and base

    for (let kill = 0; kill < KILLS; kill++) {
      const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'eval', '--base', 'main', '--concurrency', '2'], {
        cwd: repo.dir,
        env: { PATH: process.env.PATH ?? '', ...fixture.server.env() },
        stdio: 'ignore',
      });
      let done = false;
      const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => (done = true));
      // A random point of the run, counted in model calls so it does not depend on the machine's
      // speed: during start-up (0), or just after the nth call reached the model.
      const calls = Math.floor(Math.random() * 12);
      if (calls === 0) await sleep(Math.random() * 1500);
      else await untilCalls(fixture.server.calls.length + calls, () => done);
      await sleep(Math.random() * 50);
      child.kill('SIGKILL');
      await exited;

      for (const file of (await cacheFiles(cacheDir)).entries) {
        const entry = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
        expect(Object.keys(entry).sort()).toEqual(['inputTokens', 'outputTokens', 'text']);
        expect(entry['text']).toMatch(/\S/);
      }
    }

    // One entry turned back into the temporary file a killed writer leaves, from before the rerun.
    const { entries } = await cacheFiles(cacheDir);
    const orphan = entries[0];
    const stale = orphan ? `${orphan}.4242.deadbeef.tmp` : undefined;
    if (orphan && stale) {
      await rename(orphan, stale);
      await utimes(stale, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    }
    expect(orphan).toBeDefined();
    const cached = entries.length - 1;

    fixture.server.reset();
    const reportFile = join(repo.scratch, 'report.json');
    const rerun = await runCli(['eval', '--base', 'main', '--json', reportFile], fixture.server.env(), repo.dir);
    expect(rerun.code).toBe(1); // the regression, nothing else
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(report.usage).toMatchObject({ calls: total - cached, cached });
    expect(fixture.server.calls).toHaveLength(total - cached);
    expect(report.prompts[0]).toMatchObject({ name: 'support-refund', status: 'regressed' });
    const after = await cacheFiles(cacheDir);
    expect(after.temps).toEqual([]);
    expect(after.entries).toHaveLength(total);
  });
});
