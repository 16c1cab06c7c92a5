// The HTML pages at scale (SPEC 15, issue 14), each built in a fresh child process so its
// peak RSS is its own:
// 1. `promptgate dashboard` over 1,000,000 event lines (gzip JSONL, 30 days, 30% feedback)
//    in a copy of the example repo with an active canary: the streaming passes (usage per
//    version and day, the feedback join, the canary check), the page and its charts.
// 2. The eval report of 10,000 cases (`eval --html`): 1,000 regressed, 500 improved, 8,500
//    unchanged, outputs of 1,500 characters.
// Targets: each page under 20 MB (the issue's); the dashboard's peak RSS within the canary
// check's budget for the same million events (150 MB, issue 13).
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseDetail, promptReport, regressedMetric, report } from '../test/report-helpers.js';
import { maxRssMb, reportFigures, runChild } from './child.js';
import type { BenchCheck } from './main.js';

const EVENT_LINES = 1_000_000;
const DAYS = 30;
const START = '2026-10-31T00:00:00Z';
const CASES = 10_000;
const OUTPUT_CHARS = 1_500;
const MAX_PAGE_MB = 20;
const MAX_RSS_MB = 150;
/** Set in the child's environment: the scratch directory. */
const DIR_ENV = 'PROMPTGATE_BENCH_PAGES_DIR';

export const name = `HTML pages (dashboard over ${EVENT_LINES.toLocaleString('en-US')} event lines; eval report of ${CASES.toLocaleString('en-US')} cases)`;

interface PageFigures {
  wallMs: number;
  pageBytes: number;
  maxRssMb: number;
  /** RSS when the child had loaded its modules, before the work. */
  startRssMb: number;
  /** Highest heap in use, sampled every 20 ms. */
  peakHeapMb: number;
  summary: string;
}

export async function run(): Promise<BenchCheck[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-bench-pages-'));
  try {
    await cp(join(import.meta.dirname, '../fixtures/example'), join(dir, 'repo'), { recursive: true });
    const t0 = performance.now();
    await writeEvents(join(dir, 'repo'));
    line(
      'events file',
      `${mb((await stat(join(dir, 'repo/events/events.jsonl.gz'))).size)} MB gzip, written in ${secs(performance.now() - t0)}`,
    );
    const checks: BenchCheck[] = [];
    for (const [role, label] of [
      ['pages-dashboard', 'dashboard'],
      ['pages-report', `eval report, ${CASES.toLocaleString('en-US')} cases`],
    ] as const) {
      const f = await runChild<PageFigures>(role, { [DIR_ENV]: dir });
      line(label, f.summary);
      line('  wall time', secs(f.wallMs));
      line('  page size', `${mb(f.pageBytes)} MB   (target < ${MAX_PAGE_MB} MB)`);
      line(
        '  memory',
        `peak RSS ${f.maxRssMb} MB (${f.maxRssMb - f.startRssMb} MB above the loaded process), peak heap ${f.peakHeapMb} MB` +
          (role === 'pages-dashboard' ? `   (target <= ${MAX_RSS_MB} MB)` : ''),
      );
      checks.push({ label: `${label}: page ${mb(f.pageBytes)} MB < ${MAX_PAGE_MB} MB`, ok: f.pageBytes < MAX_PAGE_MB * 1e6 });
      if (role === 'pages-dashboard')
        checks.push({ label: `${label}: peak RSS ${f.maxRssMb} MB <= ${MAX_RSS_MB} MB`, ok: f.maxRssMb <= MAX_RSS_MB });
    }
    return checks;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A month of support-refund traffic with a canary of 2.2.0 at 25% for its last week. */
async function writeEvents(repo: string): Promise<void> {
  // @ts-expect-error: a plain .mjs script without types
  const generator = (await import('../fixtures/canary/generate-events.mjs')) as {
    options(a: string[]): unknown;
    writeEvents(o: unknown): Promise<void>;
  };
  const hours = DAYS * 24;
  const perHour = Math.round(EVENT_LINES / 1.3 / hours); // 30% of the calls get a feedback line
  const out = join(repo, 'events', 'events.jsonl.gz');
  await generator.writeEvents(
    generator.options(['--out', out, '--weight', '25', '--start', START, '--hours', String(hours), '--calls-per-hour', String(perHour)]),
  );
  const canaryStart = new Date(Date.parse(START) + (DAYS - 7) * 86_400_000).toISOString();
  await mkdir(join(repo, '.promptgate'), { recursive: true });
  await writeFile(
    join(repo, '.promptgate', 'releases.yaml'),
    `support-refund:\n  labels:\n    production: 2.1.0\n  canary:\n    version: 2.2.0\n    steps: [5, 25, 50, 100]\n    step: 1\n    started_at: "${canaryStart}"\n`,
  );
}

/** Child side (BENCH_ROLE=pages-dashboard): `promptgate dashboard` minus argument parsing. */
export async function dashboardWorker(): Promise<void> {
  const { buildDashboard } = await import('../src/engine/dashboard/build.js');
  const { writeDashboard } = await import('../src/engine/report/html/write.js');
  const root = join(process.env[DIR_ENV]!, 'repo');
  const out = join(process.env[DIR_ENV]!, 'dashboard.html');
  await measure(out, async () => {
    const data = await buildDashboard({ root, events: ['events/*.jsonl.gz'], now: new Date(Date.parse(START) + DAYS * 86_400_000) });
    await writeDashboard(out, data);
    const canary = data.prompts.find((p) => p.name === 'support-refund')?.canaryCheck;
    const decision = canary && 'report' in canary ? canary.report.decision : 'none';
    return `${data.events!.lines.toLocaleString('en-US')} lines, ${data.feedback!.joined.toLocaleString('en-US')} feedback joined, canary decision ${decision}`;
  });
}

/** Child side (BENCH_ROLE=pages-report): `eval --html` of a run with CASES cases. */
export async function reportWorker(): Promise<void> {
  const { writeHtmlReport } = await import('../src/engine/report/html/write.js');
  const out = join(process.env[DIR_ENV]!, 'eval-report.html');
  const ids = Array.from({ length: CASES }, (_, i) => `case-${i}`);
  const text = (who: string, i: number) => `${who} answer ${i}: ${'lorem ipsum dolor sit amet '.repeat(OUTPUT_CHARS / 27)}`;
  const details = ids.map((id, i) =>
    caseDetail(id, {
      baseline_output: text('production', i),
      candidate_output: text('candidate', i),
      scores: { accuracy: [1, i < 1000 ? 0 : 1] },
    }),
  );
  const run = report({
    result: 'fail',
    prompts: [
      promptReport({
        status: 'regressed',
        metrics: [regressedMetric({ n: CASES })],
        cases: { regressed: ids.slice(0, 1000), improved: ids.slice(1000, 1500), errored: [] },
        details,
      }),
    ],
  });
  await measure(out, async () => {
    await writeHtmlReport(out, run);
    return `${CASES.toLocaleString('en-US')} cases, outputs of ${OUTPUT_CHARS.toLocaleString('en-US')} characters`;
  });
}

async function measure(out: string, work: () => Promise<string>): Promise<void> {
  const startRssMb = Math.round(process.memoryUsage().rss / 1e6);
  let peakHeap = 0;
  const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
  const sampler = setInterval(sample, 20);
  const t0 = performance.now();
  const summary = await work();
  const wallMs = performance.now() - t0;
  sample();
  clearInterval(sampler);
  const figures: PageFigures = {
    wallMs,
    pageBytes: (await stat(out)).size,
    maxRssMb: maxRssMb(),
    startRssMb,
    peakHeapMb: Math.round(peakHeap / 1e6),
    summary,
  };
  reportFigures(figures);
}

function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(32)} ${value}`);
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
