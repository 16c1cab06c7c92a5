// `promptgate dashboard` end to end (dist/cli.js in a temporary copy of the example repo) and
// its page in a real browser with JavaScript off: releases, usage per version, charts, and an
// injection corpus in the events that renders inert.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCanaries } from '../src/engine/canary/check.js';
import { resolveEventFiles } from '../src/engine/canary/read.js';
import { canarySettings } from '../src/engine/canary/settings.js';
import { buildDashboard } from '../src/engine/dashboard/build.js';
import { loadReleaseHistory } from '../src/engine/dashboard/releases.js';
import { renderDashboard } from '../src/engine/report/html/dashboard.js';
import { generate } from './canary/events.js';
import { ROOT } from './e2e/harness.js';
import { launchBrowser, openPage, screenshot } from './helpers/browser.js';
import { tempRepo, type TempRepo } from './helpers/example-repo.js';
import { supportRefundEvents } from './helpers/events.js';

const ATTACK_PROMPT = '</svg><script>alert("prompt")</script>';
const ATTACK_VERSION = '<img src=x onerror="alert(1)">';
const DAY_MS = 86_400_000;
/** The canary's step began three days ago at midnight (UTC): the CLI decides at the clock's now, so the events must be past. */
const STEP_START = new Date((Math.floor(Date.now() / DAY_MS) - 3) * DAY_MS).toISOString();

/** Three days of support-refund (450 calls of 2.1.0, 150 of the canary 2.2.0) and one hostile event. */
function events(): string {
  const attack = {
    schema: 'promptgate/event@1',
    type: 'call',
    ts: '2026-11-28T12:00:00Z',
    call_id: 'x1',
    prompt: ATTACK_PROMPT,
    version: ATTACK_VERSION,
    hash: 'h',
    label: 'production',
    arm: null,
    segment: null,
    model: 'm',
    latency_ms: 10,
    input_tokens: 1,
    output_tokens: 1,
    error: null,
    metrics: { [ATTACK_PROMPT]: 1 },
  };
  return `${[...supportRefundEvents({ start: STEP_START, days: 3, calls: 600 }), JSON.stringify(attack)].join('\n')}\n`;
}

async function dashboard(repo: TempRepo, args: string[]) {
  return promisify(execFile)(process.execPath, [join(ROOT, 'dist/cli.js'), 'dashboard', ...args], { cwd: repo.dir }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

let browser: Browser;
let repo: TempRepo;
beforeAll(async () => {
  browser = await launchBrowser();
  repo = await tempRepo();
  await mkdir(join(repo.dir, 'events'), { recursive: true });
  await writeFile(join(repo.dir, 'events', 'calls.jsonl.gz'), gzipSync(events()));
  await mkdir(join(repo.dir, '.promptgate'), { recursive: true });
  await writeFile(
    join(repo.dir, '.promptgate', 'releases.yaml'),
    `support-refund:\n  labels:\n    production: 2.1.0\n  canary:\n    version: 2.2.0\n    steps: [5, 25, 50, 100]\n    step: 1\n    started_at: "${STEP_START}"\n`,
  );
});
afterAll(async () => {
  await browser?.close();
  await repo?.remove();
});

describe('promptgate dashboard', () => {
  it('writes one page that shows, without JavaScript, each prompt’s releases and its usage per version and day', async () => {
    const run = await dashboard(repo, ['--events', 'events/*.jsonl.gz', '--out', 'site/dashboard.html']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('601 events');

    const { page, requests } = await openPage(browser, join(repo.dir, 'site/dashboard.html'));
    expect(requests).toEqual([]);
    const text = await page.$eval('body', (body) => body.innerText);
    for (const expected of [
      'support-refund',
      'intent-classifier',
      '2.1.0',
      '2.2.0',
      'production',
      'Canary',
      'Calls per day',
      'Latency p95',
      'task_completed',
    ])
      expect(text).toContain(expected);
    // A prompt without events still shows its release history.
    const intent = await page.$$eval('section', (sections) =>
      sections.map((s) => s.textContent ?? '').find((t) => t.includes('intent-classifier'))!,
    );
    expect(intent).toContain('1.0.4');
    expect(intent).toContain('No events for this prompt.');
    // One line per version: the calls chart of support-refund has two series in its legend.
    expect(await page.$$eval('figure svg', (svgs) => svgs.length)).toBeGreaterThanOrEqual(5);
    // Per day: 3 days of 2.1.0 in its table.
    expect(text).toMatch(/2\.1\.0: 450 calls over 3 days/);
    // The canary check's decision over these events: 150 canary calls are short of min_samples.
    const decision = await page.$eval('p.decision', (p) => p.textContent ?? '');
    expect(decision).toMatch(
      /^Last decision hold \(promptgate canary check over these events at .*control 2\.1\.0 450 calls, canary 2\.2\.0 150 calls/,
    );
    expect(decision).toContain('canary has 150 of 200 calls');
    expect(await page.$$eval('table.canary-metrics tbody tr', (rows) => rows.map((r) => r.firstElementChild?.textContent))).toEqual([
      'error_rate (higher is worse)',
      'task_completed (lower is worse)',
    ]);

    const dom = await page.$$eval('*', (elements) => ({
      scripts: elements.filter((el) => el.tagName === 'SCRIPT').length,
      handlers: elements.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      images: elements.filter((el) => el.tagName === 'IMG').length,
    }));
    expect(dom).toEqual({ scripts: 0, handlers: [], images: 0 });
    expect(text).toContain(ATTACK_PROMPT);
    expect(text).toContain(ATTACK_VERSION);

    const shot = await screenshot(page);
    expect([shot.width, shot.height]).toEqual([1280, 900]);
    expect(shot.inkShare).toBeGreaterThan(0.02);
    await page.close();
  });

  it('shows the decision canary check makes over the same events, and none when the events are too broken to decide on', async () => {
    const dir = join(repo.dir, 'quality-events');
    // The canary of support-refund (2.2.0 at 25%, from the step's start) completes 10 points fewer tasks.
    const args = ['--scenario', 'quality', '--weight', '25', '--start', STEP_START, '--hours', '6', '--calls-per-hour', '1000'];
    await generate(join(dir, 'q.jsonl.gz'), args);
    const now = new Date(Date.parse(STEP_START) + 6 * 3_600_000);
    const data = await buildDashboard({ root: repo.dir, events: ['quality-events/*.jsonl.gz'], now });
    const shown = data.prompts.find((p) => p.name === 'support-refund')!.canaryCheck;

    const { manifest } = await loadReleaseHistory(repo.dir);
    const checked = await checkCanaries({
      rollouts: [canarySettings('support-refund', manifest['support-refund']!)!],
      files: await resolveEventFiles(['quality-events/*.jsonl.gz'], repo.dir),
      root: repo.dir,
      now: now.getTime(),
    });
    expect(shown).toEqual({ report: checked.prompts[0] });
    expect(checked.prompts[0]!.decision).toBe('rollback');
    const html = renderDashboard(data);
    expect(html).toContain('<span class="badge rollback">rollback</span>');
    expect(html).toMatch(/<td>task_completed \(lower is worse\)<\/td>(<td>[^<]*<\/td>){4}<td><span class="badge fail">yes<\/span>/);

    await writeFile(join(dir, 'broken.jsonl'), 'not json\n'.repeat(1000));
    const broken = await buildDashboard({ root: repo.dir, events: ['quality-events/*'], now });
    expect(broken.prompts.find((p) => p.name === 'support-refund')!.canaryCheck).toEqual({
      undecided: expect.stringMatching(/^1000 of \d+ event lines are malformed/),
    });
    expect(broken.prompts.find((p) => p.name === 'support-refund')!.usage['2.2.0']).toBeDefined();
    expect(renderDashboard(broken)).toMatch(/<strong>Last decision:<\/strong> none: 1000 of \d+ event lines are malformed/);
  });

  it('joins feedback to its call by call_id: latest wins, on the call’s version and day, replacing the call’s own value; a call delivered twice counts once', async () => {
    const dir = join(repo.dir, 'feedback-events');
    const event = (o: object) => JSON.stringify({ schema: 'promptgate/event@1', prompt: 'support-refund', arm: null, ...o });
    const call = (id: string, version: string, ts: string, extra: object = {}) =>
      event({ type: 'call', call_id: id, version, ts, latency_ms: 100, input_tokens: 10, output_tokens: 5, error: null, ...extra });
    const feedback = (id: string, ts: string, rating: number) =>
      event({ type: 'feedback', call_id: id, version: '2.2.0', ts, metrics: { user_rating: rating } });
    const lines = [
      feedback('c4', '2026-11-29T12:00:00Z', 1), // feedback may come before its call in the files
      call('c1', '2.1.0', '2026-11-27T10:00:00Z', { metrics: { user_rating: 1 } }),
      call('c2', '2.1.0', '2026-11-27T11:00:00Z', { metrics: { task_completed: 1 } }),
      call('c3', '2.1.0', '2026-11-27T12:00:00Z', { error: 'timeout' }),
      call('c4', '2.2.0', '2026-11-28T10:00:00Z'),
      call('c4', '2.2.0', '2026-11-28T10:00:00Z'), // delivered twice: counts once
      call('c2', '2.1.0', '2026-11-27T11:00:00Z', { metrics: { task_completed: 1 } }), // again, later in the files
      feedback('c1', '2026-11-29T09:00:00Z', 0), // latest for c1: replaces the call's own 1
      feedback('c1', '2026-11-28T09:00:00Z', 1), // older: loses
      feedback('c2', '2026-11-28T09:00:00Z', 1), // counts on c2's version and day, not the feedback's
      feedback('c3', '2026-11-28T09:00:00Z', 1), // errored call: no metric
      feedback('nope', '2026-11-28T09:00:00Z', 1), // no such call
    ];
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'e.jsonl'), `${lines.join('\n')}\n`);
    const data = await buildDashboard({ root: repo.dir, events: ['feedback-events/*.jsonl'], now: new Date('2026-11-30T00:00:00Z') });
    const usage = data.prompts.find((p) => p.name === 'support-refund')!.usage;
    expect(usage['2.1.0']!.map((d) => [d.day, d.calls, d.errors, d.metrics])).toEqual([
      ['2026-11-27', 3, 1, { task_completed: { mean: 1, n: 1 }, user_rating: { mean: 0.5, n: 2 } }],
    ]);
    expect(usage['2.2.0']!.map((d) => [d.day, d.calls, d.metrics])).toEqual([['2026-11-28', 1, { user_rating: { mean: 1, n: 1 } }]]);
    expect(usage['2.1.0']![0]!.input_tokens).toBe(30);
    expect(data.feedback).toEqual({ joined: 3, unmatched: 2 });
    expect(data.duplicate_calls).toBe(2);
    expect(renderDashboard(data)).toContain(
      '2 repeated deliveries of a call counted once · 3 feedback events joined to their calls (2 left out: no call with their call_id in these events, or it errored)',
    );
  });

  it('says what is wrong with its arguments', async () => {
    const noOut = await dashboard(repo, ['--events', 'events/*.jsonl.gz']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out FILE.html');
    const noMatch = await dashboard(repo, ['--events', 'nothing/*.jsonl', '--out', 'x.html']);
    expect(noMatch.code).toBe(2);
    expect(noMatch.stderr).toContain('No event file matches "nothing/*.jsonl"');
    expect(noMatch.stderr).not.toMatch(/^\s+at /m);
    // A broken config does not stop the review page, and the CLI says where to look. Datasets
    // are never read (the page needs names, versions and models): a broken one is no problem here.
    await writeFile(join(repo.dir, 'broken.yaml'), 'concurrency: -1\n');
    await writeFile(join(repo.dir, 'data/support-refund.jsonl'), '{not json\n');
    const broken = await dashboard(repo, ['--config', 'broken.yaml', '--out', 'broken.html']);
    expect(broken.code).toBe(0);
    expect(broken.stderr).toMatch(/^Dashboard of \d+ prompts? written to .*broken\.html; 1 problem listed on the page\n$/);
  });
});
