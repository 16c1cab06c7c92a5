import type { AnnotationProperties } from '@actions/core';
import { pct, pp } from '../engine/report/format.js';
import type { MetricDiff, PromptReport, Report } from '../engine/types.js';
import { missingKeysMessage } from './missing-keys.js';

export interface Annotation {
  level: 'error' | 'warning';
  message: string;
  properties: AnnotationProperties;
}

/**
 * File annotations for a report: one per lint finding at its line, and one per prompt
 * that regressed, fell below a minimum or errored, on the prompt's file. A problem that
 * does not fail the check (the engine's verdict waived it) is a warning.
 */
export function annotationsFor(report: Report): Annotation[] {
  const lint = report.lint.map<Annotation>((f) => ({
    level: f.severity,
    message: f.message,
    properties: {
      title: `promptgate ${f.rule}`,
      file: f.file,
      ...(f.line !== undefined && { startLine: f.line }),
      ...(f.line !== undefined && f.column !== undefined && { startColumn: f.column }),
    },
  }));
  const prompts = report.prompts.flatMap<Annotation>((p) => {
    const message = promptProblem(p);
    if (!message) return [];
    return [
      { level: p.verdict.blocks ? 'error' : 'warning', message, properties: { title: `promptgate: ${p.name} ${p.status}`, file: p.file } },
    ];
  });
  return [...lint, ...prompts];
}

function promptProblem(p: PromptReport): string | null {
  switch (p.status) {
    case 'regressed':
      return `Regressed: ${p.metrics
        .filter((m) => m.regressed)
        .map(describeDrop)
        .join('; ')}.`;
    case 'below-min':
      return `Below the minimum: ${p.metrics
        .filter((m) => m.below_min)
        .map((m) => `${m.name} ${pct(m.candidate)} < ${pct(m.gate.min ?? null)}`)
        .join('; ')}.`;
    case 'error':
      if (p.missing_keys) return missingKeysMessage({ ...p, missing_keys: p.missing_keys });
      return p.error ?? `${p.cases.errored.length} case(s) errored: ${p.cases.errored.join(', ')}.`;
    default:
      return null;
  }
}

function describeDrop(m: MetricDiff): string {
  return `${m.name} ${pct(m.baseline)} → ${pct(m.candidate)} (${pp(m.delta)})`;
}
