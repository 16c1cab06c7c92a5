// The markdown rendering of a Report: the sticky PR comment, the job summary and the CLI's
// --markdown (SPEC 6). Everything written by a model or a pull request goes through escape.ts.
// The document is built as parts whose lengths are known, so trimming to an outlet's limit sums
// lengths instead of re-rendering. The outlet says what goes above the headline and how long
// the text may be (src/github/comment-format.ts for a GitHub comment).
import { markdownTable } from 'markdown-table';
import type { CaseDetail, Finding, MetricDiff, PromptReport, Report } from '../types.js';
import { caseKindOf, hasChangedCases, type CaseKind } from './case-kind.js';
import { codeBlock, escapeText, inlineCode } from './escape.js';
import { count, duration, interval, plural, pct, pp, usd } from './format.js';

const DEFAULT_TRIMMED_NOTE = 'Some case details were trimmed to fit; the full report is in the JSON report.';

export interface MarkdownOptions {
  /** A line above the headline (a GitHub comment's hidden marker). */
  header?: string;
  /** Case details are trimmed first to stay within it; default unlimited. */
  maxLength?: number;
  /** Says that details were trimmed and where the rest is. */
  trimmedNote?: string;
  /** Says why gate misses do not fail the run (the outlet names its own setting). */
  gateOffNote?: string;
  /** Who added the accept label, when known. */
  acceptedBy?: string | null;
  acceptLabel?: string;
}

const DEFAULT_ACCEPT_LABEL = 'promptgate:accept';
/** Names, ids and versions in inline text. */
const NAME_CHARS = 100;
const MESSAGE_CHARS = 1000;
const FULL_OUTPUT_CHARS = 2000;
const SHORT_OUTPUT_CHARS = 300;
const ERRORED_IDS_SHOWN = 20;
const SEPARATOR = '\n\n';
const DETAILS_CLOSE = `${SEPARATOR}</details>`;

/** Starts with `opts.header`, if any. Never longer than `opts.maxLength`. */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const maxLength = opts.maxLength ?? Infinity;
  const body = new Body([...headParts(report, opts), ...report.prompts.flatMap(promptParts), ...lintParts(report.lint)]);
  const footerPart = footer(report);
  const trimmedNote = opts.trimmedNote ?? DEFAULT_TRIMMED_NOTE;
  const tail = (trimmed: boolean) => (trimmed ? `${SEPARATOR}${trimmedNote}` : '') + `${SEPARATOR}${footerPart}`;
  if (body.length + tail(false).length <= maxLength) return body.render() + tail(false);

  trimCaseDetails(body, maxLength - tail(true).length);
  return fit(body.render(), tail(true), maxLength, opts.header);
}

// ---------- trimming ----------

/** The kinds the comment lists; unchanged cases are only in the HTML report. */
type ShownKind = Exclude<CaseKind, 'unchanged'>;
const SHOWN_KINDS: ShownKind[] = ['regressed', 'improved', 'errored'];

/** A collapsible list of cases; only `entries[0, kept)` are rendered. */
interface DetailsSection {
  kind: ShownKind;
  /** Cases of this kind, for the summary. */
  total: number;
  entries: { detail: CaseDetail; text: string }[];
  kept: number;
  keptChars: number;
}

type Part = string | DetailsSection;

/** Parts joined by blank lines, with the joined length kept up to date as sections shrink. */
class Body {
  length: number;

  constructor(readonly parts: Part[]) {
    this.length = parts.reduce((sum, part) => sum + separated(partLength(part)), -SEPARATOR.length);
  }

  get sections(): DetailsSection[] {
    return this.parts.filter((part): part is DetailsSection => typeof part !== 'string');
  }

  change(section: DetailsSection, mutate: () => void): void {
    const before = separated(sectionLength(section));
    mutate();
    this.length += separated(sectionLength(section)) - before;
  }

  render(): string {
    return this.parts
      .map((part) => (typeof part === 'string' ? part : renderSection(part)))
      .filter((text) => text !== '')
      .join(SEPARATOR);
  }
}

const separated = (length: number) => (length > 0 ? length + SEPARATOR.length : 0);
const partLength = (part: Part) => (typeof part === 'string' ? part.length : sectionLength(part));

/** Least severe goes first: improved cases, then errored, then regressed. */
const DROP_ORDER: Record<ShownKind, number> = { improved: 0, errored: 1, regressed: 2 };
/** Cases each section keeps while others are dropped, before outputs are shortened. */
const MIN_KEPT: Record<ShownKind, number> = { improved: 0, errored: 0, regressed: 3 };

/**
 * SPEC 6: drop cases from the end, least severe first (each prompt keeps its most severe
 * ones longest), then shorten the outputs of the cases left, then drop whole sections; the
 * last two also go least severe first, and from the last prompt up.
 */
function trimCaseDetails(body: Body, budget: number): void {
  const sections = body.sections;
  const droppable = sections.flatMap((section, order) =>
    section.entries.map((_, index) => ({ section, index, order })).slice(MIN_KEPT[section.kind]),
  );
  droppable.sort((a, b) => DROP_ORDER[a.section.kind] - DROP_ORDER[b.section.kind] || b.index - a.index || b.order - a.order);
  for (const { section, index } of droppable) {
    if (body.length <= budget) return;
    body.change(section, () => {
      section.kept = index;
      section.keptChars -= section.entries[index]!.text.length;
    });
  }

  const byDropOrder = sections
    .map((section, order) => ({ section, order }))
    .sort((a, b) => DROP_ORDER[a.section.kind] - DROP_ORDER[b.section.kind] || b.order - a.order);
  for (const { section } of byDropOrder) {
    if (body.length <= budget) return;
    body.change(section, () => {
      const kept = section.entries.slice(0, section.kept);
      for (const entry of kept) entry.text = caseEntry(entry.detail, SHORT_OUTPUT_CHARS);
      section.keptChars = sumLengths(kept);
    });
  }

  for (const { section } of byDropOrder) {
    if (body.length <= budget) return;
    body.change(section, () => {
      section.kept = 0;
      section.keptChars = 0;
    });
  }
}

/**
 * Last resort when tables and findings alone are too long: cut the body at a line end. No
 * details or code block is left by then, so a cut line cannot leave one open.
 */
function fit(body: string, tail: string, maxLength: number, header = ''): string {
  if (body.length + tail.length <= maxLength) return body + tail;
  const headlineEnd = body.indexOf('\n', header.length + 1);
  // A limit too small for the headline and the footer keeps the headline.
  if (maxLength - tail.length < (headlineEnd < 0 ? body.length : headlineEnd)) return cutAtLineEnd(body, maxLength);
  return cutAtLineEnd(body, maxLength - tail.length) + tail;
}

function cutAtLineEnd(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const end = text.lastIndexOf('\n', maxLength);
  return end > 0 ? text.slice(0, end).trimEnd() : text.slice(0, maxLength);
}

const sumLengths = (entries: { text: string }[]) => entries.reduce((sum, entry) => sum + entry.text.length, 0);

function detailsOpen(section: DetailsSection): string {
  const shown = section.kept < section.total ? ` (showing ${count(section.kept)})` : '';
  return `<details><summary>${plural(section.total, `${section.kind} case`)}${shown}</summary>${SEPARATOR}`;
}

function sectionLength(section: DetailsSection): number {
  if (section.kept === 0) return 0;
  return detailsOpen(section).length + section.keptChars + SEPARATOR.length * (section.kept - 1) + DETAILS_CLOSE.length;
}

function renderSection(section: DetailsSection): string {
  if (section.kept === 0) return '';
  const cases = section.entries.slice(0, section.kept).map((entry) => entry.text);
  return detailsOpen(section) + cases.join(SEPARATOR) + DETAILS_CLOSE;
}

// ---------- headline ----------

function headParts(report: Report, opts: MarkdownOptions): string[] {
  const evaluated = report.prompts.filter((p) => p.change !== 'removed');
  const withMetrics = (test: (m: MetricDiff) => boolean) => {
    const prompts = evaluated.filter((p) => p.metrics.some(test));
    return { prompts, metrics: prompts.reduce((sum, p) => sum + p.metrics.filter(test).length, 0) };
  };
  const regressed = withMetrics((m) => m.regressed);
  const belowMin = withMetrics((m) => m.below_min && !m.regressed);
  const errored = evaluated.filter((p) => p.status === 'error');
  const lintErrors = report.lint.filter((f) => f.severity === 'error').length;

  // In drift mode the prompt did not change: its model did, behind the same name.
  const fell = report.mode === 'drift' ? 'drifted below the stored baseline' : 'regressed';
  const regression = regressed.metrics > 0 ? `${plural(regressed.metrics, 'metric')} ${fell} in ${promptNames(regressed.prompts)}` : null;
  const accepted = report.accepted && regression !== null;
  const problems = [
    report.errors.length > 0 ? plural(report.errors.length, 'run error') : null,
    accepted ? 'regressions accepted' : regression,
    belowMin.metrics > 0 ? `${plural(belowMin.metrics, 'metric')} below the minimum in ${promptNames(belowMin.prompts)}` : null,
    errored.length > 0 ? `${promptNames(errored)} errored` : null,
    lintErrors > 0 ? plural(lintErrors, 'lint error') : null,
  ].filter((problem) => problem !== null);

  const icon = report.result === 'fail' ? '❌' : problems.length > 0 ? '⚠️' : '✅';
  const title = problems.length > 0 ? problems.join('; ') : successTitle(report, evaluated.length);
  const headline = `## ${icon} promptgate: ${title}`;
  const parts = [opts.header ? `${opts.header}\n${headline}` : headline];

  if (accepted) parts.push(acceptance(regression, opts));
  else if (report.prompts.some((p) => p.verdict.waived === 'gate-off')) {
    parts.push(opts.gateOffNote ?? 'These do not fail the check: the gate is set not to fail on a regression.');
  }
  if (report.prompts.length === 0 && report.mode === 'pr' && problems.length > 0 && !report.stopped)
    parts.push('No prompt is affected by this change.');
  if (report.errors.length > 0) parts.push(report.errors.map((e) => `- ${escapeText(e, MESSAGE_CHARS)}`).join('\n'));
  if (report.baselines_written?.length) {
    parts.push(`Baselines written:\n${report.baselines_written.map((file) => `- ${inlineCode(file)}`).join('\n')}`);
  }
  if (report.released?.length) {
    parts.push(`Released (commit these files):\n${report.released.map((file) => `- ${inlineCode(file)}`).join('\n')}`);
  }
  if (report.published) {
    parts.push(`Published ${inlineCode(report.published.manifest)} and ${plural(report.published.artifacts.length, 'artifact')}.`);
  }
  return parts;
}

function successTitle(report: Report, evaluated: number): string {
  if (report.mode === 'lint') return 'lint passed';
  if (report.mode === 'baseline') return `baselines written for ${plural(evaluated, 'prompt')}`;
  if (report.mode === 'release') {
    return report.released?.length
      ? `released ${plural(report.released.length, 'prompt version')}`
      : 'nothing to release: every current version is archived';
  }
  if (report.prompts.length === 0) return report.mode === 'pr' ? 'no prompt is affected by this change' : 'no prompts to evaluate';
  if (evaluated === 0) return `nothing to evaluate (${plural(report.prompts.length, 'prompt')} removed)`;
  return report.mode === 'drift' ? `no drift in ${plural(evaluated, 'prompt')}` : `no regressions in ${plural(evaluated, 'prompt')}`;
}

function acceptance(regression: string, opts: MarkdownOptions): string {
  const label = inlineCode(opts.acceptLabel ?? DEFAULT_ACCEPT_LABEL);
  // The zero-width space after @ (from escapeText) names the person without pinging them.
  const by = opts.acceptedBy ? ` by ${escapeText(`@${opts.acceptedBy}`, NAME_CHARS)}` : '';
  return `${regression}; accepted${by} with the ${label} label.`;
}

function promptNames(prompts: PromptReport[]): string {
  return prompts.length > 3 ? plural(prompts.length, 'prompt') : prompts.map((p) => escapeText(p.name, NAME_CHARS)).join(', ');
}

// ---------- prompts ----------

const STATUS_ICON: Record<PromptReport['status'], string> = {
  pass: '✅',
  regressed: '❌',
  'below-min': '❌',
  error: '❌',
  new: '🆕',
  removed: '🗑️',
};

const CHANGE_TEXT: Record<PromptReport['change'], string> = {
  added: 'added',
  modified: 'modified',
  removed: 'removed',
  dependency: 'dependency changed',
  unchanged: 'unchanged',
  promotion: 'promotion',
  rollback: 'rollback',
};

const BASELINE_TEXT: Record<PromptReport['baseline']['source'], string> = {
  stored: 'stored baseline',
  rerun: 'baseline rerun from the base branch',
  none: 'no baseline',
};

function promptParts(p: PromptReport): Part[] {
  const name = escapeText(p.name, NAME_CHARS);
  if (p.change === 'removed') return [`${STATUS_ICON.removed} **${name}** (${inlineCode(p.file)}): removed, not evaluated.`];

  const version = (v: string | null) => (v === null ? '—' : escapeText(v, NAME_CHARS));
  // A label moved in the release manifest (SPEC 10.3): "production 2.1.0 -> 2.2.0".
  const pointer =
    p.pointer && `${p.pointer.segment ? `${escapeText(p.pointer.segment, NAME_CHARS)} ` : ''}${escapeText(p.pointer.label, NAME_CHARS)}`;
  const move = `${pointer} ${version(p.version.base)} -> ${version(p.version.head)}`;
  if (p.change === 'rollback') {
    return [
      `### ${STATUS_ICON[p.status]} ${name} · rollback · ${move}${SEPARATOR}` +
        `Rollback to a version released earlier: never blocked by the gate, no model call. ${inlineCode(p.file)}`,
    ];
  }
  const lines = [
    pointer
      ? `### ${STATUS_ICON[p.status]} ${name} · ${move}`
      : `### ${STATUS_ICON[p.status]} ${name} · ${CHANGE_TEXT[p.change]} · ${version(p.version.base)} → ${version(p.version.head)}`,
    [
      `Model ${p.model === null ? '—' : inlineCode(p.model)}`,
      pointer
        ? `${version(p.version.head)} against ${version(p.version.base)}, both rendered from their archive entries on this suite`
        : BASELINE_TEXT[p.baseline.source],
      `${plural(p.samples_per_case, 'sample')} per case`,
      inlineCode(p.file),
    ].join(' · '),
  ];
  if (p.error) lines.push(`**Error:** ${escapeText(p.error, MESSAGE_CHARS)}`);
  if (p.metrics.length > 0) lines.push(metricTable(p.metrics));
  lines.push(promptStats(p));
  if (p.metrics.length > 0) lines.push(gateLine(p));
  if (p.cases.errored.length > 0) lines.push(erroredIds('Errored cases', p.cases.errored));
  if (p.cases.base_errored?.length) lines.push(erroredIds('Errored on production', p.cases.base_errored));
  if (p.cases.excluded?.length) {
    lines.push(
      `${erroredIds('Left out of the comparison', p.cases.excluded)} (a sample errored on one side: neither a regression nor an improvement)`,
    );
  }

  return [lines.join(SEPARATOR), ...caseSections(p)];
}

const ALPHA_TEXT: Record<MetricDiff['alpha_source'], string> = {
  config: 'set in the gate',
  'auto-nondeterministic': 'auto: the prompt samples',
  'auto-deterministic': 'auto: the prompt is deterministic',
};

/** The significance each metric was gated at (SPEC 4), and the low-power note for a sampling prompt run once per case. */
function gateLine(p: PromptReport): string {
  const levels = [
    ...new Set(p.metrics.map((m) => `${m.alpha === null ? 'any drop fails' : `α = ${m.alpha}`} (${ALPHA_TEXT[m.alpha_source]})`)),
  ];
  const gate = `Gate: ${levels.join('; ')}.`;
  const compared = p.metrics.some((m) => m.baseline !== null);
  if (!(p.nondeterministic && p.samples_per_case === 1 && compared)) return gate;
  return (
    `${gate}\n\n⚠️ Low power: this prompt samples and each case ran once, so a real drop can pass unseen. ` +
    'Set `repeat: 3` in its eval suite to catch a 10-point drop on 100 cases about 95% of the time.'
  );
}

function metricTable(metrics: MetricDiff[]): string {
  return markdownTable(
    [
      ['Metric', 'Production', 'This PR', 'Δ', '95% CI', 'Status'],
      ...metrics.map((m) => [
        escapeText(m.name, NAME_CHARS),
        pct(m.baseline),
        pct(m.candidate),
        pp(m.delta),
        interval(m.ci95),
        metricStatus(m),
      ]),
    ],
    { alignDelimiters: false },
  );
}

function metricStatus(m: MetricDiff): string {
  const failures = [m.regressed ? 'regressed' : null, m.below_min ? `below min ${pct(m.gate.min ?? null)}` : null].filter(
    (failure) => failure !== null,
  );
  const statuses = [
    failures.length > 0 ? `❌ ${failures.join(', ')}` : null,
    // Not significant: a reviewer should weigh it, not panic (the gate still counts it without alpha).
    m.likely_noise ? `⚠️ within noise (p = ${m.p_value?.toFixed(2)})` : null,
  ].filter((status) => status !== null);
  if (statuses.length > 0) return statuses.join(', ');
  return m.baseline === null ? '🆕 new' : '✅ pass';
}

function promptStats(p: PromptReport): string {
  const { regressed, improved, errored } = p.cases;
  const tokens = p.usage.input_tokens + p.usage.output_tokens;
  return [
    `Cases: ${count(regressed.length)} regressed, ${count(improved.length)} improved, ${count(errored.length)} errored`,
    `error rate ${pct(p.error_rate)} of ${plural(p.samples, 'sample')}` +
      (p.base_error_rate !== undefined ? ` (production ${pct(p.base_error_rate)} of ${plural(p.base_samples ?? 0, 'sample')})` : ''),
    `latency p50 ${duration(p.latency_ms.p50)}, p95 ${duration(p.latency_ms.p95)}`,
    `${plural(tokens, 'token')}`,
    usd(p.usage.cost_usd),
  ].join(' · ');
}

function erroredIds(label: string, ids: string[]): string {
  const shown = ids.slice(0, ERRORED_IDS_SHOWN).map((id) => escapeText(id, NAME_CHARS));
  const more = ids.length > shown.length ? ` and ${count(ids.length - shown.length)} more` : '';
  return `${label}: ${shown.join(', ')}${more}`;
}

// ---------- case details ----------

function caseSections(p: PromptReport): DetailsSection[] {
  // No changed case: the details need not be made at all (a new prompt's are all unchanged).
  if (!hasChangedCases(p)) return [];
  const kindOf = caseKindOf(p);
  const shown = new Map<CaseKind, DetailsSection['entries']>(SHOWN_KINDS.map((kind) => [kind, []]));
  for (const detail of p.details) {
    const entries = shown.get(kindOf(detail.id));
    // Details list the changed cases first: the unchanged rest, all but these, is not read.
    if (!entries) break;
    entries.push({ detail, text: caseEntry(detail, FULL_OUTPUT_CHARS) });
  }
  return SHOWN_KINDS.flatMap((kind) => {
    const entries = shown.get(kind)!;
    if (entries.length === 0) return [];
    const total = Math.max(entries.length, p.cases[kind].length);
    return [{ kind, total, entries, kept: entries.length, keptChars: sumLengths(entries) }];
  });
}

function caseEntry(detail: CaseDetail, outputChars: number): string {
  const scores = Object.entries(detail.scores).map(
    ([metric, [base, candidate]]) => `${escapeText(metric, NAME_CHARS)} ${pct(base)} → ${pct(candidate)}`,
  );
  const input = JSON.stringify({ vars: detail.vars, expected: detail.expected }, null, 2);
  const output = (text: string | undefined, missing: string) =>
    text === undefined ? `_${missing}_` : codeBlock(text, { maxChars: outputChars });
  return [
    [`**${escapeText(detail.id, NAME_CHARS)}**`, ...scores].join(' · '),
    ...(detail.error ? [`Error: ${escapeText(detail.error, MESSAGE_CHARS)}`] : []),
    ...(detail.baseline_error ? [`Production error: ${escapeText(detail.baseline_error, MESSAGE_CHARS)}`] : []),
    ...Object.entries(detail.reasons ?? {}).map(
      ([metric, reason]) => `Why ${escapeText(metric, NAME_CHARS)}: ${escapeText(reason, MESSAGE_CHARS)}`,
    ),
    'Input:',
    codeBlock(input, { language: 'json', maxChars: outputChars }),
    'Production output:',
    output(detail.baseline_output, 'not stored'),
    "This PR's output:",
    output(detail.candidate_output, 'none'),
  ].join(SEPARATOR);
}

// ---------- lint and footer ----------

function lintParts(findings: Finding[]): string[] {
  if (findings.length === 0) return [];
  const items = findings.map((f) => {
    const location = [f.file, f.line, f.line === undefined ? undefined : f.column].filter((x) => x !== undefined).join(':');
    const icon = f.severity === 'error' ? '❌' : '⚠️';
    return `- ${icon} ${inlineCode(f.rule)} (${f.severity}) ${inlineCode(location)}: ${escapeText(f.message, MESSAGE_CHARS)}`;
  });
  return [`### Lint\n\n${items.join('\n')}`];
}

function footer(report: Report): string {
  const { usage } = report;
  const items = [
    report.models.length > 0 ? `Models: ${report.models.map((m) => escapeText(m, NAME_CHARS)).join(', ')}` : null,
    plural(usage.calls, 'call'),
    plural(usage.cached, 'cache hit'),
    plural(usage.retries, 'retry', 'retries'),
    `${plural(usage.input_tokens + usage.output_tokens, 'token')} (${count(usage.input_tokens)} in, ${count(usage.output_tokens)} out)`,
    usd(usage.cost_usd),
    duration(report.duration_ms),
  ].filter((item) => item !== null);
  return `<sub>${items.join(' · ')}</sub>`;
}
