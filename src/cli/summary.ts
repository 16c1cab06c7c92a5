import { formatLocation } from '../engine/errors.js';
import { pct, pp } from '../engine/report/format.js';
import type { Report } from '../engine/types.js';

/** Plain text for a terminal or a CI log: findings first (located, one a line), then each prompt's verdict. */
export function summary(report: Report): string {
  const lines: string[] = [];
  for (const f of report.lint) lines.push(`${formatLocation(f)}: ${f.severity} [${f.rule}] ${f.message}`);
  for (const p of report.prompts) {
    lines.push(`${p.verdict.blocks ? 'FAIL' : p.status === 'removed' ? '--  ' : 'ok  '} ${p.name} (${p.change}, ${p.status})`);
    if (p.error) lines.push(`     ${p.error}`);
    for (const m of p.metrics) {
      const flag = m.regressed ? ' regressed' : m.below_min ? ' below min' : '';
      lines.push(`     ${m.name}: ${pct(m.baseline)} -> ${pct(m.candidate)} (${pp(m.delta)})${flag}`);
    }
  }
  for (const e of report.errors) lines.push(`error: ${e}`);
  if (report.baselines_written?.length) lines.push(`Baselines written: ${report.baselines_written.join(', ')}`);
  if (report.mode === 'pr' && !report.prompts.length) lines.push('No prompt is affected by this change.');
  const u = report.usage;
  lines.push(
    `${report.result.toUpperCase()}: ${u.calls} calls, ${u.cached} cached, $${u.cost_usd.toFixed(4)}, ${(report.duration_ms / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}
