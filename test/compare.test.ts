import { describe, expect, it } from 'vitest';
import { CaseScoreRecord, compareTables, scoreTable } from '../src/engine/gate/compare.js';
import { mcnemarOneSided } from '../src/engine/gate/stats.js';
import type { GateRule, Sample, ScoreTable } from '../src/engine/types.js';
import { laidOut } from './helpers/laid-out.js';

function sample(caseId: string, n: number, scores: Record<string, number>): Sample {
  return { caseId, sample: n, output: '', latencyMs: 1, inputTokens: 1, outputTokens: 1, costUsd: 0, cached: false, scores };
}

/** A table with one metric from per-case scores (one sample each). */
function table(metric: string, scores: number[], ids = scores.map((_, i) => `c${i}`)): ScoreTable {
  return scoreTable(laidOut(scores.map((s, i) => sample(ids[i]!, 0, { [metric]: s }))), [metric]);
}

const ones = (n: number): number[] => Array<number>(n).fill(1);
const gate = (rule: GateRule) => () => rule;

describe('scoreTable', () => {
  it('averages each metric over all samples and each case over its repeats', () => {
    const t = scoreTable(
      laidOut([
        sample('a', 0, { acc: 1, tone: 0.5 }),
        sample('a', 1, { acc: 0, tone: 0.7 }),
        sample('b', 0, { acc: 1, tone: 0.2 }),
        sample('b', 1, { acc: 1 }), // tone missing: not counted as a score
      ]),
      ['acc', 'tone'],
    );
    expect(t.metrics).toEqual({ acc: { mean: 0.75, n: 4 }, tone: { mean: expect.closeTo(1.4 / 3, 12), n: 3 } });
    expect(Object.fromEntries(t.cases)).toEqual({ a: { acc: 0.5, tone: expect.closeTo(0.6, 12) }, b: { acc: 1, tone: 0.2 } });
    expect([...t.cases].map(([id]) => id)).toEqual(['a', 'b']);
    expect(t.cases.get('b')).toEqual({ acc: 1, tone: 0.2 });
    expect(t.cases.get('c')).toBeUndefined();
  });

  it('gives what a plain per-case average gives, over many cases with repeats and scores missing', () => {
    const metrics = ['acc', 'tone', 'never'];
    const samples: Sample[] = [];
    for (let i = 0; i < 300; i++)
      for (let n = 0; n < 3; n++) {
        const scores: Record<string, number> = { acc: (i * 7 + n) % 2 };
        if ((i + n) % 5 !== 0) scores.tone = ((i * 13 + n * 3) % 10) / 10;
        samples.push(sample(`case-${(i * 37) % 300}`, n, scores));
      }
    const expected: Record<string, Record<string, number>> = {};
    for (const id of [...new Set(samples.map((s) => s.caseId))]) {
      const mine = samples.filter((s) => s.caseId === id);
      expected[id] = {};
      for (const metric of metrics) {
        const scores = mine.flatMap((s) => (s.scores[metric] === undefined ? [] : [s.scores[metric]!]));
        if (scores.length) expected[id][metric] = scores.reduce((a, b) => a + b, 0) / scores.length;
      }
    }
    const t = scoreTable(laidOut(samples), metrics);
    expect([...t.cases]).toEqual(Object.entries(expected));
    for (const [position, id] of Object.keys(expected).entries()) {
      expect(t.cases.get(id)).toEqual(expected[id]);
      expect(t.cases.at(position)).toEqual(expected[id]);
    }
    const tones = samples.flatMap((s) => (s.scores.tone === undefined ? [] : [s.scores.tone]));
    expect(t.metrics.tone).toEqual({ mean: expect.closeTo(tones.reduce((a, b) => a + b, 0) / tones.length, 12), n: tones.length });
    expect(t.metrics.never).toEqual({ mean: 0, n: 0 });
  });

  it('leaves out a metric a case has no score for', () => {
    const t = scoreTable(laidOut([sample('a', 0, { acc: 0 }), sample('b', 0, { tone: 0.5 })]), ['acc', 'tone']);
    expect([...t.cases]).toEqual([
      ['a', { acc: 0 }],
      ['b', { tone: 0.5 }],
    ]);
  });

  it('reports a metric without samples as mean 0, n 0', () => {
    const t = scoreTable(laidOut([]), ['acc']);
    expect(t.metrics).toEqual({ acc: { mean: 0, n: 0 } });
    expect([...t.cases]).toEqual([]);
  });

  it("reads a stored baseline's case scores as a table's, ids that name Object's members included", () => {
    const ids = ['constructor', '__proto__', 'toString', 'c3'];
    const computed = table('acc', [1, 1, 0, 1], ids);
    const stored = new CaseScoreRecord(JSON.parse(JSON.stringify(Object.fromEntries(computed.cases))));
    expect([...stored].map(([id]) => id)).toEqual(ids);
    expect([...stored]).toEqual([...computed.cases]);
    for (const id of ids) expect(stored.get(id)).toEqual(computed.cases.get(id));
    expect(stored.get('hasOwnProperty')).toBeUndefined();
    expect(computed.cases.get('hasOwnProperty')).toBeUndefined();
    // The same comparison whichever way the baseline came.
    const cand = table('acc', [0, 1, 1, 1], ['constructor', '__proto__', 'toString', 'valueOf']);
    const fromStored = compareTables({ metrics: computed.metrics, cases: stored }, cand, ['acc'], gate({}), 'p');
    expect(fromStored).toEqual(compareTables(computed, cand, ['acc'], gate({}), 'p'));
    expect(fromStored).toMatchObject({ regressed: ['constructor'], improved: ['toString'] });
    expect(fromStored.metrics[0]!.n).toBe(3);
  });
});

describe('compareTables: regressions', () => {
  // 10 cases: baseline passes 9, candidate passes 8.
  const base = table('acc', [...ones(9), 0]);
  const cand = table('acc', [...ones(8), 0, 0]);

  it('flags a drop beyond max_drop, with the paired numbers', () => {
    const [m] = compareTables(base, cand, ['acc'], gate({ max_drop: 0.02 }), 'p').metrics;
    expect(m).toMatchObject({
      name: 'acc',
      baseline: 0.9,
      candidate: 0.8,
      n: 10,
      regressed: true,
      below_min: false,
      gate: { max_drop: 0.02 },
    });
    expect(m!.delta).toBeCloseTo(-0.1, 12);
    expect(m!.p_value).toBe(mcnemarOneSided(1, 0)); // one case went 1 -> 0
    expect(m!.ci95![0]).toBeLessThanOrEqual(m!.delta!);
    expect(m!.ci95![1]).toBeGreaterThanOrEqual(m!.delta!);
  });

  it('tolerates a drop of exactly max_drop and no change with max_drop 0', () => {
    expect(compareTables(base, cand, ['acc'], gate({ max_drop: 0.1 }), 'p').metrics[0]!.regressed).toBe(false);
    const same = compareTables(table('acc', [0.8, 0.8]), table('acc', [0.8, 0.8]), ['acc'], gate({ max_drop: 0 }), 'p').metrics[0]!;
    expect(same).toMatchObject({ regressed: false, delta: 0, ci95: [0, 0], p_value: 1 });
  });

  it('treats a missing max_drop as 0: any drop regresses', () => {
    expect(compareTables(base, cand, ['acc'], gate({}), 'p').metrics[0]!.regressed).toBe(true);
  });

  it('with alpha, regresses only on a significant drop', () => {
    const base20 = table('acc', ones(20));
    const tenFailed = table('acc', [...ones(10), ...Array<number>(10).fill(0)]);
    const oneFailed = table('acc', [...ones(19), 0]);
    const significant = compareTables(base20, tenFailed, ['acc'], gate({ alpha: 0.05 }), 'p').metrics[0]!;
    expect(significant).toMatchObject({ regressed: true, likely_noise: false, p_value: 1 / 1024 });
    const noise = compareTables(base20, oneFailed, ['acc'], gate({ alpha: 0.05 }), 'p').metrics[0]!;
    expect(noise).toMatchObject({ regressed: false, likely_noise: false, p_value: 0.5 });
    // alpha: null means "no significance requirement".
    expect(compareTables(base20, oneFailed, ['acc'], gate({ alpha: null }), 'p').metrics[0]!.regressed).toBe(true);
  });

  it('marks a regression without alpha and with p >= 0.05 as likely noise', () => {
    const base20 = table('acc', ones(20));
    const oneFailed = table('acc', [...ones(19), 0]);
    const tenFailed = table('acc', [...ones(10), ...Array<number>(10).fill(0)]);
    expect(compareTables(base20, oneFailed, ['acc'], gate({}), 'p').metrics[0]).toMatchObject({ regressed: true, likely_noise: true });
    expect(compareTables(base20, tenFailed, ['acc'], gate({}), 'p').metrics[0]).toMatchObject({ regressed: true, likely_noise: false });
  });

  it('uses the sign-flip test for fractional scores, seeded by the key and metric', () => {
    const b = table('tone', [0.9, 0.8, 0.7, 0.9, 0.6]);
    const c = table('tone', [0.5, 0.4, 0.7, 0.8, 0.2]);
    const run = (key: string) => compareTables(b, c, ['tone'], gate({ alpha: 0.05 }), key).metrics[0]!;
    // Nonzero diffs -0.4, -0.4, -0.1, -0.4: only the all-negative pattern of 16 reaches the observed sum.
    expect(run('x').p_value).toBe(1 / 16);
    expect(run('x').regressed).toBe(false);
    expect(run('x')).toEqual(run('x'));
  });
});

describe('compareTables: minimums and missing baselines', () => {
  it('flags below_min with a baseline', () => {
    const [m] = compareTables(table('acc', ones(4)), table('acc', [1, 1, 1, 0]), ['acc'], gate({ max_drop: 0.5, min: 0.9 }), 'p').metrics;
    expect(m).toMatchObject({ regressed: false, below_min: true, candidate: 0.75 });
  });

  it('flags below_min without a baseline and reports the candidate alone', () => {
    const [m] = compareTables(undefined, table('acc', [1, 1, 0]), ['acc'], gate({ min: 0.9 }), 'p').metrics;
    expect(m).toEqual({
      alpha: null,
      alpha_source: 'auto-deterministic',
      name: 'acc',
      baseline: null,
      candidate: 2 / 3,
      delta: null,
      ci95: null,
      p_value: null,
      n: 3,
      regressed: false,
      below_min: true,
      likely_noise: false,
      gate: { min: 0.9 },
    });
  });

  it('does not flag a candidate exactly at min', () => {
    const [m] = compareTables(undefined, table('acc', [...ones(9), 0]), ['acc'], gate({ min: 0.9 }), 'p').metrics;
    expect(m!.below_min).toBe(false);
  });

  it('pairs cases by id and compares only the shared ones', () => {
    const base = table('acc', [1, 1, 0], ['a', 'b', 'gone']);
    const cand = table('acc', [0, 1, 0], ['b', 'a', 'new']);
    const [m] = compareTables(base, cand, ['acc'], gate({}), 'p').metrics;
    expect(m).toMatchObject({ baseline: 1, candidate: 0.5, delta: -0.5, n: 2, regressed: true });
  });

  it('reports a metric the baseline lacks like a new one', () => {
    const [m] = compareTables(table('acc', [1]), table('tone', [0.4]), ['tone'], gate({}), 'p').metrics;
    expect(m).toMatchObject({ baseline: null, candidate: 0.4, delta: null, p_value: null, n: 1, regressed: false });
  });
});

describe('compareTables: case flips', () => {
  const tables = (rows: Record<string, [number, number, number, number]>) => {
    const ids = Object.keys(rows);
    const side = (offset: number): ScoreTable =>
      scoreTable(laidOut(ids.map((id) => sample(id, 0, { acc: rows[id]![offset]!, tone: rows[id]![offset + 1]! }))), ['acc', 'tone']);
    return { base: side(0), cand: side(2) };
  };

  it('lists regressed cases by total drop and improved cases by total gain', () => {
    //                        base acc, tone, cand acc, tone
    const { base, cand } = tables({
      fellAcc: [1, 0.5, 0, 0.5], // drop 1
      fellTone: [1, 0.9, 1, 0.4], // drop 0.5
      fellBoth: [1, 0.8, 0, 0.3], // drop 1.5
      mixed: [0, 0.9, 1, 0.8], // rose on acc, fell on tone: regressed (drop 0.1)
      roseTone: [1, 0.5, 1, 0.7], // gain 0.2
      roseAcc: [0, 0.5, 1, 0.5], // gain 1
      same: [1, 0.8, 1, 0.8],
    });
    const { regressed, improved } = compareTables(base, cand, ['acc', 'tone'], gate({}), 'p');
    expect(regressed).toEqual(['fellBoth', 'fellAcc', 'fellTone', 'mixed']);
    expect(improved).toEqual(['roseAcc', 'roseTone']);
  });

  it('lists nothing without a baseline, and ignores cases on one side only', () => {
    const { cand } = tables({ a: [1, 1, 0, 0] });
    expect(compareTables(undefined, cand, ['acc', 'tone'], gate({}), 'p')).toMatchObject({ regressed: [], improved: [] });
    const other = tables({ b: [1, 1, 0, 0] });
    expect(compareTables(other.base, cand, ['acc', 'tone'], gate({}), 'p')).toMatchObject({ regressed: [], improved: [] });
  });
});
