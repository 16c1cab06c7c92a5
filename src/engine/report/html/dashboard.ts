// The dashboard page (`promptgate dashboard`, SPEC 15): per prompt its versions over time with
// labels and eval scores at release, the canary's step and the canary check's decision (the
// engine's, shown as is), and per version and day from the
// events: calls, error rate, latency, tokens, cost and every metric's mean, charted as a line
// per version. Everything a user or a model wrote is escaped here, in escape.ts.
import type { PromptCanaryReport } from '../../canary/types.js';
import type { DashboardData, PromptDashboard } from '../../dashboard/build.js';
import type { DayUsage } from '../../dashboard/usage.js';
import { metricFigures } from '../canary-figures.js';
import { escapeHtml as h } from '../escape.js';
import { count, pct, plural, usd } from '../format.js';
import { lineChart, type SeriesPoint } from './charts.js';
import { htmlPage } from './page.js';

const NAME_CHARS = 200;

export function renderDashboard(data: DashboardData): string {
  const events = data.events;
  const body = [
    '<header>',
    '<h1>promptgate dashboard</h1>',
    `<p class="meta">generated ${h(data.generated_at)} · ${plural(data.prompts.length, 'prompt')}${
      events
        ? ` · ${plural(events.events, 'event')} from ${plural(events.files.length, 'file')}${events.malformed ? `, ${count(events.malformed)} malformed lines skipped` : ''}${duplicatesNote(data)}${feedbackNote(data)}`
        : ' · no events given (--events GLOB)'
    }</p>`,
    '</header>',
    data.problems.length ? `<h2>Problems</h2><ul>${data.problems.map((p) => `<li class="error">${h(p, 2000)}</li>`).join('')}</ul>` : '',
    data.prompts.length
      ? `<nav><p>${data.prompts.map((p, i) => `<a href="#prompt-${i}">${h(p.name, NAME_CHARS)}</a>`).join(' · ')}</p></nav>`
      : '<p>No prompts, releases or events found.</p>',
    ...data.prompts.map((p, i) => promptSection(p, i, data.generated_at)),
  ].join('\n');
  return htmlPage({ title: 'promptgate dashboard', body });
}

/** A call delivered twice counts once: say how many deliveries were left out. */
function duplicatesNote({ duplicate_calls: duplicates }: DashboardData): string {
  return duplicates ? ` · ${plural(duplicates, 'repeated delivery', 'repeated deliveries')} of a call counted once` : '';
}

/** Feedback counts on its call's version and day; say how much had no call to join. */
function feedbackNote({ feedback }: DashboardData): string {
  if (!feedback || feedback.joined + feedback.unmatched === 0) return '';
  const left = feedback.unmatched
    ? ` (${count(feedback.unmatched)} left out: no call with their call_id in these events, or it errored)`
    : '';
  return ` · ${plural(feedback.joined, 'feedback event')} joined to their calls${left}`;
}

function promptSection(p: PromptDashboard, index: number, generatedAt: string): string {
  return [
    '<section>',
    `<h2 id="prompt-${index}">${h(p.name, NAME_CHARS)}</h2>`,
    canaryLine(p, generatedAt),
    versionTable(p),
    releaseChart(p),
    usageCharts(p),
    usageTables(p),
    '</section>',
  ].join('\n');
}

function canaryLine(p: PromptDashboard, generatedAt: string): string {
  const c = p.canary;
  if (!c) return '<p class="meta">No canary running.</p>';
  const weight = c.steps[c.step];
  const line = `<p class="canary"><strong>Canary</strong> ${h(c.version, NAME_CHARS)} at step ${c.step + 1} of ${c.steps.length - 1} (${weight}% of traffic) since ${h(c.started_at)}; steps ${h(c.steps.join(' → '))}.</p>`;
  const check = p.canaryCheck;
  if (!check) return line;
  if ('undecided' in check) return `${line}<p class="meta"><strong>Last decision:</strong> none: ${h(check.undecided, 2000)}</p>`;
  return line + canaryDecision(check.report, generatedAt);
}

/** The canary check's decision as `canary check` reported it: the page only shows it. */
function canaryDecision(r: PromptCanaryReport, generatedAt: string): string {
  const { control, canary } = r.arms;
  const next = r.decision === 'advance' ? ` to ${r.next_weight}%` : '';
  const srm = r.srm_alarm ? ' <span class="badge fail">SRM alarm</span>' : '';
  const decision =
    `<p class="decision"><strong>Last decision</strong> <span class="badge ${r.decision}">${r.decision}${next}</span>${srm} ` +
    `(promptgate canary check over these events at ${h(generatedAt)}; control ${h(control.version, NAME_CHARS)} ${plural(control.calls, 'call')}, ` +
    `canary ${h(canary.version, NAME_CHARS)} ${plural(canary.calls, 'call')}, SRM p = ${h(r.srm_p.toPrecision(2))}): ${h(r.reason, 2000)}</p>`;
  if (r.metrics.length === 0) return decision;
  const head = [
    'Guarded metric',
    'Control',
    'Canary',
    'Difference',
    `Always-valid bound (α ${r.alpha_per_test.toPrecision(2)})`,
    'Regressed',
  ];
  const rows = r.metrics.map((m) => {
    const f = metricFigures(m);
    const cells = [f.metric, f.control, f.canary, f.difference, f.bound].map((text) => h(text, 300));
    cells.push(m.regressed ? '<span class="badge fail">yes</span>' : 'no');
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `${decision}<table class="canary-metrics"><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function versionTable(p: PromptDashboard): string {
  const metrics = [...new Set(p.versions.flatMap((v) => Object.keys(v.eval)))].sort();
  const head = ['Version', 'Released', 'Labels now', 'Model', ...metrics.map((m) => `${h(m, NAME_CHARS)} at release`), 'From'];
  const rows = p.versions.map((v) => {
    const labels = v.labels.map((l) => `<span class="badge pass">${h(l, NAME_CHARS)}</span>`).join(' ');
    const from = v.url && /^https:\/\//.test(v.url) ? `<a href="${h(v.url)}">${h(v.source)}</a>` : h(v.source);
    const cells = [
      `<strong>${h(v.version, NAME_CHARS)}</strong>${p.canary?.version === v.version ? ' <span class="badge hold">canary</span>' : ''}`,
      v.released_at ? h(v.released_at.slice(0, 16).replace('T', ' ')) : '—',
      labels || '—',
      v.model ? `<code>${h(v.model, NAME_CHARS)}</code>` : '—',
      ...metrics.map((m) => (v.eval[m] ? pct(v.eval[m].mean) : '—')),
      from,
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="versions"><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Eval scores at release over time: a line per metric across the released versions. */
function releaseChart(p: PromptDashboard): string {
  const points: SeriesPoint[] = p.versions.flatMap((v) =>
    v.released_at
      ? Object.entries(v.eval).map(([metric, { mean }]) => ({ series: metric, date: new Date(v.released_at!), value: mean }))
      : [],
  );
  if (new Set(points.map((pt) => pt.date.getTime())).size < 2) return '';
  return `<div class="charts"><figure>${lineChart(points, { title: 'Eval scores at release', unit: 'score (%)', percent: true })}</figure></div>`;
}

interface DailyMeasure {
  title: string;
  unit: string;
  percent?: boolean;
  value: (d: DayUsage) => number | null;
}

const MEASURES: DailyMeasure[] = [
  { title: 'Calls per day', unit: 'calls', value: (d) => d.calls },
  { title: 'Error rate', unit: 'errors (%)', percent: true, value: (d) => (d.calls ? d.errors / d.calls : null) },
  { title: 'Latency p95', unit: 'ms', value: (d) => d.latency_p95_ms },
  { title: 'Cost per day', unit: 'USD', value: (d) => d.cost_usd },
];

function usageCharts(p: PromptDashboard): string {
  const versions = Object.entries(p.usage);
  if (!versions.length) return '<p class="meta">No events for this prompt.</p>';
  const metrics = [...new Set(versions.flatMap(([, days]) => days.flatMap((d) => Object.keys(d.metrics))))].sort();
  const measures: DailyMeasure[] = [
    ...MEASURES,
    ...metrics.map((m) => ({ title: `${m} (mean)`, unit: m, value: (d: DayUsage) => d.metrics[m]?.mean ?? null })),
  ];
  const charts = measures.map((measure) => {
    const points = versions.flatMap(([version, days]) =>
      days.flatMap((d) => {
        const value = measure.value(d);
        return value === null ? [] : [{ series: version, date: new Date(`${d.day}T00:00:00Z`), value }];
      }),
    );
    return points.length
      ? `<figure>${lineChart(points, { title: measure.title, unit: measure.unit, percent: measure.percent ?? false })}</figure>`
      : '';
  });
  return `<div class="charts">${charts.join('')}</div>`;
}

function usageTables(p: PromptDashboard): string {
  return Object.entries(p.usage)
    .map(([version, days]) => {
      const metrics = [...new Set(days.flatMap((d) => Object.keys(d.metrics)))].sort();
      const calls = days.reduce((sum, d) => sum + d.calls, 0);
      const rows = days.map((d) =>
        [
          d.day,
          count(d.calls),
          d.calls ? pct(d.errors / d.calls) : '—',
          d.latency_p50_ms === null ? '—' : `${count(d.latency_p50_ms)} ms`,
          d.latency_p95_ms === null ? '—' : `${count(d.latency_p95_ms)} ms`,
          count(d.input_tokens),
          count(d.output_tokens),
          usd(d.cost_usd),
          ...metrics.map((m) => (d.metrics[m] ? d.metrics[m].mean.toFixed(3) : '—')),
        ]
          .map((c) => `<td>${c}</td>`)
          .join(''),
      );
      const head = [
        'Day',
        'Calls',
        'Error rate',
        'Latency p50',
        'Latency p95',
        'Input tokens',
        'Output tokens',
        'Cost',
        ...metrics.map((m) => h(m, NAME_CHARS)),
      ];
      return (
        `<details class="usage"><summary>${h(version, NAME_CHARS)}: ${plural(calls, 'call')} over ${plural(days.length, 'day')}</summary>` +
        `<table><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table></details>`
      );
    })
    .join('\n');
}
