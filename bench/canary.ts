// Canary statistics and streaming (SPEC 13, issue 13). Two parts:
// 1. Simulated rollouts checked every simulated hour. Each hour's calls go into the same
//    per-arm aggregate (`RolloutAggregate`) and the same `decide` that `canary check` runs
//    on the events it reads; only the JSON parsing is skipped (re-reading a growing file
//    168 times per rollout would make the simulation hours long, and the sums do not
//    depend on the order the calls arrive in). A/A: share ever rolled back in 7 days;
//    a 10-point drop in a 0/1 metric and a 20% latency regression at 500 calls per hour per
//    arm: share rolled back within 24 h and the median detection time.
// 2. 1,000,000 event lines (gzip JSONL, 30% feedback) through the real `canary check`
//    command (node dist/cli.js) in a fresh process: wall time, peak RSS and heap.
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RolloutAggregate } from '../src/engine/canary/aggregate.js';
import { windowOf } from '../src/engine/canary/check.js';
import { decide } from '../src/engine/canary/decide.js';
import type { CallEvent } from '../src/engine/canary/events.js';
import type { CanaryReport, CanarySettings } from '../src/engine/canary/types.js';
import { mulberry32 } from '../src/engine/gate/stats.js';
import { runCli } from './child.js';
import type { BenchCheck } from './main.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-11-30T00:00:00Z');
const ROLLOUTS = 200;
const CALLS_PER_HOUR_PER_ARM = 500;
/** A/A runs a week of hourly checks: fewer calls an hour keep it quick, and small samples are
 * where an asymptotic sequence would be likeliest to leak false rollbacks. */
const AA_CALLS_PER_HOUR_PER_ARM = 150;
const ALPHA = 0.05;
const STREAM_EVENTS = 1_000_000;
const MAX_RSS_MB = 150;

export const name = `canary (${ROLLOUTS} simulated rollouts per scenario, hourly checks; ${STREAM_EVENTS.toLocaleString('en-US')} events streamed)`;

type Scenario = 'aa' | 'quality' | 'latency';

const SETTINGS: CanarySettings = {
  prompt: 'support-refund',
  controlVersion: '2.1.0',
  version: '2.2.0',
  // One running step at 50% that never advances within the simulation (min_duration 30d),
  // so the whole week is one always-valid sequence at the rollout's alpha.
  steps: [50, 100],
  step: 0,
  startedAt: START,
  salt: 'support-refund@2.2.0',
  minSamples: 200,
  minDurationMs: 30 * 24 * HOUR,
  metrics: {
    error_rate: { direction: 'lower', max_drop: 0 },
    task_completed: { direction: 'higher', max_drop: 0 },
    latency_p95_ms: { direction: 'lower', max_drop: 0 },
  },
  alpha: ALPHA,
};

/** Hours until the first rollback, or null when none happened within `hours`. */
function simulate(scenario: Scenario, seed: number, hours: number, perArm: number): number | null {
  const rand = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const aggregate = new RolloutAggregate(windowOf(SETTINGS, START + hours * HOUR));
  const call: CallEvent = {
    type: 'call',
    ts: 0,
    callId: null,
    prompt: SETTINGS.prompt,
    version: '',
    arm: null,
    latencyMs: 0,
    inputTokens: null,
    outputTokens: null,
    error: false,
    metrics: {},
  };
  for (let hour = 1; hour <= hours; hour++) {
    for (let i = 0; i < 2 * perArm; i++) {
      const canary = rand() < 0.5;
      call.ts = START + (hour - 1) * HOUR + ((i + 0.5) / (2 * perArm)) * HOUR;
      call.arm = canary ? 'canary' : 'control';
      call.version = canary ? SETTINGS.version : SETTINGS.controlVersion;
      call.error = rand() < 0.01;
      call.latencyMs = Math.exp(6.7 + 0.35 * gaussian()) * (canary && scenario === 'latency' ? 1.2 : 1);
      call.metrics = { task_completed: rand() < (canary && scenario === 'quality' ? 0.65 : 0.75) ? 1 : 0 };
      aggregate.add(call);
    }
    if (decide(SETTINGS, aggregate, START + hour * HOUR).decision === 'rollback') return hour;
  }
  return null;
}

function detection(scenario: Scenario, hours: number): { share: number; median: number | null } {
  const times: number[] = [];
  for (let r = 0; r < ROLLOUTS; r++) {
    const seed = 1000 * (scenario === 'aa' ? 1 : scenario === 'quality' ? 2 : 3) + r;
    const t = simulate(scenario, seed, hours, scenario === 'aa' ? AA_CALLS_PER_HOUR_PER_ARM : CALLS_PER_HOUR_PER_ARM);
    if (t !== null) times.push(t);
  }
  times.sort((a, b) => a - b);
  return { share: times.length / ROLLOUTS, median: times.length ? times[Math.floor((times.length - 1) / 2)]! : null };
}

export async function run(): Promise<BenchCheck[]> {
  const checks: BenchCheck[] = [];
  let t0 = performance.now();
  const aa = detection('aa', 7 * 24);
  line(
    `A/A, 7 days hourly, ${AA_CALLS_PER_HOUR_PER_ARM}/h/arm`,
    `${pct(aa.share)} ever rolled back   (target <= ${pct(ALPHA)})   [${secs(performance.now() - t0)}]`,
  );
  checks.push({ label: `A/A false rollbacks ${pct(aa.share)} <= ${pct(ALPHA)}`, ok: aa.share <= ALPHA });
  for (const [scenario, label] of [
    ['quality', '10-point drop (0/1 metric)'],
    ['latency', '20% latency regression (p95)'],
  ] as const) {
    t0 = performance.now();
    const d = detection(scenario, 24);
    line(
      label,
      `${pct(d.share)} rolled back within 24 h (target >= 95%), median detection ${d.median ?? '—'} h   [${secs(performance.now() - t0)}]`,
    );
    checks.push({ label: `${label}: ${pct(d.share)} rolled back within 24 h >= 95%`, ok: d.share >= 0.95 });
  }
  checks.push(...(await streaming()));
  return checks;
}

/**
 * `promptgate canary check` (node dist/cli.js) over 1,000,000 event lines in a copy of the
 * example repo: 100 hours of traffic at 50% that ended an hour ago (the CLI decides at the
 * clock's now), 30% of the calls with feedback.
 */
async function streaming(): Promise<BenchCheck[]> {
  const tmp = await mkdtemp(join(tmpdir(), 'pg-bench-canary-'));
  try {
    const repo = join(tmp, 'repo');
    await cp(join(import.meta.dirname, '../fixtures/example'), repo, { recursive: true });
    // @ts-expect-error: a plain .mjs script without types
    const generator = (await import('../fixtures/canary/generate-events.mjs')) as {
      options(a: string[]): unknown;
      writeEvents(o: unknown): Promise<void>;
    };
    const hours = 100;
    const perHour = Math.round(STREAM_EVENTS / 1.3 / hours); // 30% of the calls get a feedback line
    const start = new Date((Math.floor(Date.now() / HOUR) - hours - 1) * HOUR).toISOString();
    const events = join(repo, 'events', 'events.jsonl.gz');
    const t0 = performance.now();
    await generator.writeEvents(
      generator.options([
        '--out',
        events,
        '--weight',
        '50',
        '--start',
        start,
        '--hours',
        String(hours),
        '--calls-per-hour',
        String(perHour),
      ]),
    );
    line('events file', `${((await stat(events)).size / 1e6).toFixed(1)} MB gzip, written in ${secs(performance.now() - t0)}`);
    const { prompt, controlVersion, version } = SETTINGS;
    await mkdir(join(repo, '.promptgate', 'registry', prompt), { recursive: true });
    await writeFile(
      join(repo, '.promptgate', 'releases.yaml'),
      `${prompt}:\n  labels:\n    production: ${controlVersion}\n  canary:\n    version: ${version}\n    steps: [50, 100]\n    step: 0\n    started_at: "${start}"\n`,
    );
    // The example's current version is the control's; the check needs the canary's version to
    // exist too (released), and reads nothing from its archive.
    await writeFile(join(repo, '.promptgate', 'registry', prompt, `${version}.json`), '{}\n');
    const f = await runCli(['canary', 'check', '--events', 'events/*.jsonl.gz', '--json', 'canary.json'], repo, [0, 1]);
    const report = JSON.parse(await readFile(join(repo, 'canary.json'), 'utf8')) as CanaryReport;
    const p = report.prompts[0]!;
    line(
      'streaming check',
      `${report.events.lines.toLocaleString('en-US')} lines, ${(p.arms.control.calls + p.arms.canary.calls).toLocaleString('en-US')} calls, decision ${p.decision}`,
    );
    line('wall time (spawn to exit)', `${secs(f.wallMs)}`);
    line('peak RSS', `${f.maxRssMb} MB, peak heap ${f.peakHeapMb} MB   (target <= ${MAX_RSS_MB} MB)`);
    return [
      {
        label: `streaming ${STREAM_EVENTS.toLocaleString('en-US')} events: peak RSS ${f.maxRssMb} MB <= ${MAX_RSS_MB} MB`,
        ok: f.maxRssMb <= MAX_RSS_MB,
      },
    ];
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(32)} ${value}`);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
