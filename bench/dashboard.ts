// The HTML pages at scale (SPEC 15, issue 14), each built in a fresh process so its peak RSS
// is its own:
// 1. `promptgate dashboard` (node dist/cli.js, spawn to exit) over 1,000,000 event lines
//    (gzip JSONL, 30 days, 30% feedback) in a copy of the example repo with an active canary:
//    the streaming passes (usage per version and day, the feedback join, the canary check),
//    the page and its charts; and the same page without events, the CLI's own footprint.
// 2. The eval report of 10,000 cases (`eval --html`'s renderer, in a child of this bench):
//    1,000 regressed, 500 improved, 8,500 unchanged, outputs of 1,500 characters.
// Targets: each page under 20 MB (the issue's); the dashboard's peak RSS within the canary
// check's budget for the same million events (150 MB, issue 13).
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseDetail, promptReport, regressedMetric, report } from '../test/report-helpers.js';
import { maxRssMb, reportFigures, runChild, runCli } from './child.js';
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
  /** Highest heap in use, sampled every 20 ms. */
  peakHeapMb: number;
  summary: string;
}

interface ReportFigures extends PageFigures {
  /** RSS when the child had built the report, before rendering. */
  startRssMb: number;
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
    const repo = join(dir, 'repo');
    const bare = await dashboardCli(repo, []);
    const full = await dashboardCli(repo, ['--events', 'events/*.jsonl.gz']);
    line('dashboard', full.summary);
    line('  wall time (spawn to exit)', `${secs(full.wallMs)}   (${secs(bare.wallMs)} without events)`);
    line('  page size', `${mb(full.pageBytes)} MB   (target < ${MAX_PAGE_MB} MB)`);
    line(
      '  memory',
      `peak RSS ${full.maxRssMb} MB (${bare.maxRssMb} MB without events), peak heap ${full.peakHeapMb} MB   (target <= ${MAX_RSS_MB} MB)`,
    );
    const report = await runChild<ReportFigures>('pages-report', { [DIR_ENV]: dir });
    line(`eval report`, report.summary);
    line('  wall time (render + write)', secs(report.wallMs));
    line('  page size', `${mb(report.pageBytes)} MB   (target < ${MAX_PAGE_MB} MB)`);
    line('  memory', `peak RSS ${report.maxRssMb} MB (${report.startRssMb} MB before rendering), peak heap ${report.peakHeapMb} MB`);
    const checks: BenchCheck[] = [
      { label: `dashboard: page ${mb(full.pageBytes)} MB < ${MAX_PAGE_MB} MB`, ok: full.pageBytes < MAX_PAGE_MB * 1e6 },
      { label: `dashboard: peak RSS ${full.maxRssMb} MB <= ${MAX_RSS_MB} MB`, ok: full.maxRssMb <= MAX_RSS_MB },
      {
        label: `eval report of ${CASES.toLocaleString('en-US')} cases: page ${mb(report.pageBytes)} MB < ${MAX_PAGE_MB} MB`,
        ok: report.pageBytes < MAX_PAGE_MB * 1e6,
      },
    ];
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

/** `promptgate dashboard ... --out` from spawn to exit, with its peak RSS and heap. */
async function dashboardCli(repo: string, args: string[]): Promise<PageFigures> {
  const out = join(repo, 'dashboard.html');
  const f = await runCli(['dashboard', ...args, '--out', out], repo);
  return { ...f, pageBytes: (await stat(out)).size, summary: pageSummary(await readFile(out, 'utf8')) };
}

/** What the page says it read and decided. */
function pageSummary(html: string): string {
  const events = /([\d,]+) events? from/.exec(html)?.[1] ?? '0';
  const feedback = /([\d,]+) feedback events? joined/.exec(html)?.[1] ?? '0';
  const decision = /Last decision<\/strong> <span class="badge (\w+)"/.exec(html)?.[1] ?? 'none';
  return `${events} events, ${feedback} feedback joined to their calls, canary decision ${decision}`;
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
  const figures: ReportFigures = {
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
