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
import { ROOT } from './e2e/harness.js';
import { launchBrowser, openPage, screenshot } from './helpers/browser.js';
import { tempRepo, type TempRepo } from './helpers/example-repo.js';
import { supportRefundEvents } from './helpers/events.js';

const ATTACK_PROMPT = '</svg><script>alert("prompt")</script>';
const ATTACK_VERSION = '<img src=x onerror="alert(1)">';

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
  return `${[...supportRefundEvents({ start: '2026-11-27T00:00:00Z', days: 3, calls: 600 }), JSON.stringify(attack)].join('\n')}\n`;
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
    'support-refund:\n  labels:\n    production: 2.1.0\n  canary:\n    version: 2.2.0\n    steps: [5, 25, 50, 100]\n    step: 1\n    started_at: "2026-11-27T00:00:00Z"\n',
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

  it('says what is wrong with its arguments', async () => {
    const noOut = await dashboard(repo, ['--events', 'events/*.jsonl.gz']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out FILE.html');
    const noMatch = await dashboard(repo, ['--events', 'nothing/*.jsonl', '--out', 'x.html']);
    expect(noMatch.code).toBe(2);
    expect(noMatch.stderr).toContain('No event file matches "nothing/*.jsonl"');
    expect(noMatch.stderr).not.toMatch(/^\s+at /m);
  });
});
