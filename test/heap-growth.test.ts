// The CLI bounds V8's old-generation growth for its whole process (src/cli/heap-growth.ts). It runs
// here as users run it (node dist/cli.js), with a module that, once the process has nothing left
// to do, holds ~40 MB, churns old-generation garbage and prints the largest heap V8 made. A bare
// Node process doing the same is the control: V8's default growth takes it to about twice the
// bounded heap.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', 'dist');

const CHURN = `process.once('beforeExit', () => {
  const live = Array.from({ length: 400_000 }, (_, i) => ({ i, s: \`live-\${i}\`.repeat(4) }));
  const recent = [];
  let peak = 0;
  for (let round = 0; round < 150; round++) {
    recent.push(Array.from({ length: 20_000 }, (_, i) => ({ round, i, s: \`g-\${round}-\${i}\` })));
    if (recent.length > 8) recent.shift();
    peak = Math.max(peak, process.memoryUsage().heapTotal);
  }
  process.stderr.write(\`heap-peak \${Math.round(peak / 1e6)} \${live.length}\\n\`);
});`;

let dir: string;
let churn: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pg-heap-'));
  churn = join(dir, 'churn.mjs');
  await writeFile(churn, CHURN);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The largest heap (MB) the churn made after `args` ran in a Node process. */
function peakAfter(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, HOME: dir };
    execFile(process.execPath, ['--import', pathToFileURL(churn).href, ...args], { cwd: dir, env }, (_err, _stdout, stderr) => {
      const found = /heap-peak (\d+) 400000/.exec(stderr);
      if (found) resolve(Number(found[1]));
      else reject(new Error(`no heap figure; stderr: ${stderr}`));
    });
  });
}

// Node 24's V8 sizes its heap another way and ignores the flag, so the CLI leaves it alone there.
// Below a 2 GB heap limit (a machine with less than 8 GB) V8 itself grows the heap less than 4x.
const unbounded = Number(process.versions.node.split('.')[0]) < 24 && getHeapStatistics().heap_size_limit >= 2 * 1024 ** 3;

describe.skipIf(!unbounded)('heap growth', () => {
  it('is bounded in the CLI, not in a bare Node process', async () => {
    const [bare, cli] = await Promise.all([peakAfter(['-e', '']), peakAfter([join(DIST, 'cli.js'), '--version'])]);
    expect(bare).toBeGreaterThan(200);
    expect(cli).toBeLessThan(bare * 0.6);
  }, 60_000);
});
