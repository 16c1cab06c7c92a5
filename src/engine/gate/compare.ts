// Baseline vs candidate (SPEC 4, 9): per-metric diffs with paired statistics, the gate
// verdict on each metric, and which cases flipped.
import { gatedAlpha } from './alpha.js';
import { mean, pairedTest, seedFrom } from './stats.js';
import type { CaseIndex, CaseScores, EvalResult, GateRule, MetricDiff, ScoreTable } from '../types.js';

/** Differences smaller than this are float noise (0.8 - 0.8 must never count as a drop). */
const EPSILON = 1e-9;
/** A regression under a gate without alpha whose p-value is at least this reads as probably noise. */
const NOISE_P = 0.05;

/** An evaluation's samples, laid out by case (EvalResult). */
export type LaidOutSamples = Pick<EvalResult, 'samples' | 'cases' | 'repeat'>;

/** A table made from an evaluation: its case rows are the evaluation's case positions. */
export type EvaluatedScoreTable = ScoreTable & { cases: CaseScoreColumns };

/** Aggregates samples: each metric's mean and n over all samples; each case's per-metric mean over repeats. */
export function scoreTable({ samples, cases, repeat }: LaidOutSamples, metricNames: string[]): EvaluatedScoreTable {
  const width = metricNames.length;
  // Per case and metric, the sum of its scores, divided by their count (at most `repeat`,
  // 1,000) in place once all are in; a case's row is its position.
  const means = new Float64Array(cases.length * width);
  const counts = new Uint16Array(cases.length * width);
  for (let i = 0; i < samples.length; i++) {
    const s = samples.at(i);
    if (!s) continue;
    const row = Math.floor(i / repeat);
    for (let m = 0; m < width; m++) {
      const score = s.scores[metricNames[m]!];
      if (score === undefined) continue;
      means[row * width + m]! += score;
      counts[row * width + m]!++;
    }
  }
  const sums = new Array<number>(width * 2).fill(0);
  for (let cell = 0; cell < means.length; cell++) {
    const n = counts[cell]!;
    if (n === 0) {
      means[cell] = Number.NaN;
      continue;
    }
    sums[(cell % width) * 2]! += means[cell]!;
    sums[(cell % width) * 2 + 1]! += n;
    means[cell]! /= n;
  }
  const metrics: ScoreTable['metrics'] = {};
  metricNames.forEach((name, m) => {
    const n = sums[2 * m + 1]!;
    metrics[name] = { mean: n === 0 ? 0 : sums[2 * m]! / n, n };
  });
  return { metrics, cases: new CaseScoreColumns(cases, metricNames, means) };
}

/**
 * Case scores in columns: a means object per case in a record keyed by id cost ~130 bytes a
 * case (66 MB of a 500,000-case run's report); here 8 bytes a case and metric. A case's means
 * object is made as it is read; read by id, the evaluation's index by id is made then, once.
 */
export class CaseScoreColumns implements CaseScores {
  constructor(
    private readonly cases: CaseIndex,
    private readonly metrics: readonly string[],
    /** Row-major, a row per case position and a column per metric; NaN where the case has no score (scores are finite). */
    private readonly means: Float64Array,
  ) {}

  get(id: string): Record<string, number> | undefined {
    const row = this.cases.position(id);
    return row === undefined ? undefined : this.at(row);
  }

  /** The means of the case at `position` in the evaluation's cases. */
  at(position: number): Record<string, number> {
    const means: Record<string, number> = {};
    for (let m = 0; m < this.metrics.length; m++) {
      const mean = this.means[position * this.metrics.length + m]!;
      if (!Number.isNaN(mean)) means[this.metrics[m]!] = mean;
    }
    return means;
  }

  *[Symbol.iterator](): Iterator<[string, Record<string, number>]> {
    for (let row = 0; row < this.cases.length; row++) yield [this.cases.at(row).id, this.at(row)];
  }
}

/** A stored baseline's case scores (its `cases` record) read as a table's. */
export class CaseScoreRecord implements CaseScores {
  constructor(private readonly record: Record<string, Record<string, number>>) {}

  get(id: string): Record<string, number> | undefined {
    return Object.hasOwn(this.record, id) ? this.record[id] : undefined;
  }

  [Symbol.iterator](): Iterator<[string, Record<string, number>]> {
    return Object.entries(this.record)[Symbol.iterator]();
  }
}

export interface Comparison {
  metrics: MetricDiff[];
  /** Case ids whose mean fell on any metric, most severe (largest total drop) first. */
  regressed: string[];
  /** Case ids whose mean rose on some metric and fell on none, largest total gain first. */
  improved: string[];
}

/**
 * `excluded`: cases left out of every pairing (statistics, regressed, improved) because a
 * sample of either side errored: an error's 0 says nothing about the prompt, so comparing
 * it would invent a regression or an improvement.
 */
export function compareTables(
  base: ScoreTable | undefined,
  cand: ScoreTable,
  metricNames: string[],
  gateFor: (metric: string) => GateRule,
  seedKey: string,
  {
    excluded = new Set<string>(),
    nondeterministic = false,
  }: {
    /** Cases whose sample errored on either side: neither a regression nor an improvement. */
    excluded?: ReadonlySet<string>;
    /** Decides `alpha: auto` (gate/alpha.ts). */
    nondeterministic?: boolean;
  } = {},
): Comparison {
  const metrics = metricNames.map((name) => compareMetric(base, cand, name, gateFor(name), seedKey, excluded, nondeterministic));
  return { metrics, ...caseFlips(base, cand, metricNames, excluded) };
}

function compareMetric(
  base: ScoreTable | undefined,
  cand: ScoreTable,
  name: string,
  gate: GateRule,
  seedKey: string,
  excluded: ReadonlySet<string>,
  nondeterministic: boolean,
): MetricDiff {
  const gated = gatedAlpha(gate.alpha, nondeterministic);
  // The candidate's cases with a score, and those of them the baseline has a score for too.
  let scored = 0;
  const baseScores: number[] = [];
  const candScores: number[] = [];
  for (const [id, means] of cand.cases) {
    const c = means[name];
    if (c === undefined) continue;
    scored++;
    const b = base && !excluded.has(id) ? base.cases.get(id)?.[name] : undefined;
    if (b === undefined) continue;
    baseScores.push(b);
    candScores.push(c);
  }
  const belowMin = (candidate: number): boolean => gate.min !== undefined && candidate < gate.min - EPSILON;

  // No baseline, or nothing to pair on (a new metric, or every case id changed): report the candidate alone.
  if (!base || baseScores.length === 0) {
    const candidate = cand.metrics[name]?.mean ?? 0;
    return {
      name,
      baseline: null,
      candidate,
      delta: null,
      ci95: null,
      p_value: null,
      n: scored,
      regressed: false,
      below_min: belowMin(candidate),
      likely_noise: false,
      gate,
      ...gated,
    };
  }

  const baseline = mean(baseScores);
  const candidate = mean(candScores);
  const { ci95, p_value } = pairedTest(baseScores, candScores, seedFrom(seedKey + name));
  const { alpha } = gated;
  const dropped = baseline - candidate > (gate.max_drop ?? 0) + EPSILON;
  const regressed = dropped && (alpha === null || p_value < alpha);
  return {
    name,
    baseline,
    candidate,
    delta: candidate - baseline,
    ci95,
    p_value,
    n: baseScores.length,
    regressed,
    below_min: belowMin(candidate),
    likely_noise: regressed && alpha === null && p_value >= NOISE_P,
    gate,
    ...gated,
  };
}

function caseFlips(
  base: ScoreTable | undefined,
  cand: ScoreTable,
  metricNames: string[],
  excluded: ReadonlySet<string>,
): Pick<Comparison, 'regressed' | 'improved'> {
  if (!base) return { regressed: [], improved: [] };
  const regressed: { id: string; drop: number }[] = [];
  const improved: { id: string; gain: number }[] = [];
  for (const [id, candScores] of cand.cases) {
    const baseScores = base.cases.get(id);
    if (!baseScores || excluded.has(id)) continue;
    let drop = 0;
    let gain = 0;
    for (const name of metricNames) {
      const b = baseScores[name];
      const c = candScores[name];
      if (b === undefined || c === undefined) continue;
      if (b - c > EPSILON) drop += b - c;
      else if (c - b > EPSILON) gain += c - b;
    }
    if (drop > 0) regressed.push({ id, drop });
    else if (gain > 0) improved.push({ id, gain });
  }
  // Stable sorts: ties keep the dataset's order.
  return {
    regressed: regressed.sort((a, b) => b.drop - a.drop).map((r) => r.id),
    improved: improved.sort((a, b) => b.gain - a.gain).map((r) => r.id),
  };
}
