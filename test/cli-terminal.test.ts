// The CLI's terminal output as a user sees it: the progress line in a pseudo-terminal of a
// fixed width (util-linux `script`), and Ctrl-C. dist/cli.js runs as its own process.
import { execFile, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './e2e/harness.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { exampleModel } from './helpers/example-model.js';

const exec = promisify(execFile);
const CLI = join(ROOT, 'dist/cli.js');
const fixture = useExampleFixture();
const slowly = (latencyMs: number) => fixture.server.handle(async (call, i) => ({ ...(await exampleModel(call, i)), latencyMs }) as never);
// Control sequences (CSI ... final byte, and the two-byte ESC sequences) are not text on the line.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[78=>]/g;

describe('progress in a terminal 40 columns wide', () => {
  it('redraws one line that never exceeds the width, with a total fixed from the start, rate and ETA', async () => {
    const repo = await fixture.repo();
    slowly(25);
    const command = `stty cols 40 rows 20; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} eval --all --concurrency 2`;
    const { stdout } = await exec('script', ['-qfec', command, '/dev/null'], {
      cwd: repo.dir,
      env: { ...process.env, ...fixture.server.env(), TERM: 'xterm' },
    });
    // A redraw starts at column 1 (CR or CSI G); what follows up to the next one is the line.
    const segments = stdout
      .replace(/\x1b\[\d*G/g, '\r')
      .replace(ANSI, '')
      .split(/\r|\n/);
    const progress = segments.filter((s) => / samples · /.test(s));
    expect(progress.length).toBeGreaterThan(1);
    for (const line of progress) expect(line.length, line).toBeLessThanOrEqual(40);
    const totals = new Set(progress.map((line) => /\d+\/(\d+) samples/.exec(line)?.[1]));
    expect(totals).toEqual(new Set(['42']));
    expect(progress.some((line) => /\/s · ETA /.test(line))).toBe(true);
    // The summary follows on a clean line, once.
    expect(segments.filter((s) => s.startsWith('PASS: '))).toHaveLength(1);
  });
});

describe('Ctrl-C', () => {
  it('stops with exit 130 and a line saying what was cached', async () => {
    const repo = await fixture.repo();
    slowly(150);
    const child = spawn(process.execPath, [CLI, 'eval', '--all', '--concurrency', '4'], {
      cwd: repo.dir,
      env: { ...process.env, ...fixture.server.env() },
    });
    let stderr = '';
    const started = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/promptgate: [1-9]\d*\/42 samples evaluated/.test(stderr)) resolve();
      }),
    );
    await started;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const last = stderr.trimEnd().split('\n').at(-1);
    expect(last).toMatch(
      /^promptgate: interrupted after \d+\/42 samples; every answer received is in the response cache, so running the same command again does not pay for it twice\.$/,
    );
    const entries = (await readdir(join(repo.dir, '.promptgate/cache'), { recursive: true })).filter((f) => f.endsWith('.json'));
    expect(entries.length).toBeGreaterThan(0);
  });
});
