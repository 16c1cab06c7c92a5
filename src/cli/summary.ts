import { formatLocation } from '../engine/errors.js';
import { count, duration, pct, plural, pp, usd } from '../engine/report/format.js';
import type { MetricDiff, PromptReport, Report } from '../engine/types.js';

/** Failing case ids shown per list; the rest are counted, and the JSON/markdown reports hold them all. */
const CASES_SHOWN = 5;

/**
 * Plain text for a terminal or a CI log: findings first (located, one a line), then each
 * prompt's verdict as the report states it, with its metrics, why each failing one failed and
 * the first failing cases; last, one line with the result and what the run cost.
 */
export function summary(report: Report): string {
  const lines: string[] = [];
  for (const f of report.lint) lines.push(`${formatLocation(f)}: ${f.severity} [${f.rule}] ${f.message}`);
  for (const p of report.prompts) lines.push(...promptLines(p));
  for (const e of report.errors) lines.push(`error: ${e}`);
  if (report.baselines_written?.length) lines.push(`Baselines written: ${report.baselines_written.join(', ')}`);
  if (report.mode === 'release') lines.push(...releaseLines(report));
  lines.push(resultLine(report));
  return `${lines.join('\n')}\n`;
}

function releaseLines(report: Report): string[] {
  if (report.result === 'fail') return ['Nothing released: fix the problems above and run promptgate release again.'];
  if (!report.released?.length) return ['Nothing to release: every current version is archived.'];
  return [...report.released.map((file) => `released ${file}`), 'Commit these files: released versions are immutable.'];
}

function promptLines(p: PromptReport): string[] {
  const mark = p.verdict.blocks ? 'FAIL' : p.status === 'removed' ? '--  ' : 'ok  ';
  const lines = [`${mark} ${p.name} (${p.change}, ${p.status})`];
  if (p.error) lines.push(`     ${p.error}`);
  for (const m of p.metrics) lines.push(`     ${m.name}: ${scores(m)}${why(m)}`);
  if (p.error_rate > 0 && !p.error) lines.push(`     ${pct(p.error_rate)} of ${plural(p.samples, 'sample')} errored`);
  const failing: Array<[string, string[]]> = [
    ['regressed cases', p.cases.regressed],
    ['errored cases', p.cases.errored],
  ];
  for (const [label, ids] of failing) if (ids.length) lines.push(`     ${label}: ${firstFew(ids)}`);
  return lines;
}

function scores(m: MetricDiff): string {
  return m.baseline === null ? pct(m.candidate) : `${pct(m.baseline)} -> ${pct(m.candidate)} (${pp(m.delta)})`;
}

/** Why a metric fails, from the flags the gate set. */
function why(m: MetricDiff): string {
  const reasons: string[] = [];
  if (m.regressed) reasons.push(m.likely_noise ? 'regressed (within noise)' : 'regressed');
  if (m.below_min) reasons.push(`below min ${pct(m.gate.min ?? null)}`);
  return reasons.length ? ` ${reasons.join(', ')}` : '';
}

function firstFew(ids: string[]): string {
  const shown = ids.slice(0, CASES_SHOWN).join(', ');
  return ids.length > CASES_SHOWN ? `${shown} (+${count(ids.length - CASES_SHOWN)} more)` : shown;
}

function resultLine(report: Report): string {
  const u = report.usage;
  const failed = report.prompts.filter((p) => p.verdict.blocks);
  const evaluated = report.prompts.filter((p) => p.status !== 'removed').length;
  const what =
    report.mode === 'lint'
      ? `${plural(report.lint.length, 'finding')}`
      : report.stopped
        ? 'stopped on the configuration'
        : evaluated
          ? `${failed.length ? `${count(failed.length)} of ` : ''}${plural(evaluated, 'prompt')}${failed.length ? ' failed' : ''}`
          : report.mode === 'pr'
            ? 'no prompt is affected by this change (--all evaluates every prompt)'
            : 'no prompt evaluated';
  return `${report.result.toUpperCase()}: ${what}; ${plural(u.calls, 'call')}, ${count(u.cached)} cached, ${usd(u.cost_usd)}, ${duration(report.duration_ms)}`;
}
