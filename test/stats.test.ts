import { describe, expect, it } from 'vitest';
import { bootstrapCi, mcnemarOneSided, mulberry32, pairedTest, seedFrom, signFlipPValue } from '../src/engine/gate/stats.js';

describe('seedFrom and mulberry32', () => {
  it('derives the seed from the first 32 bits of SHA-256', () => {
    // sha256("abc") = ba7816bf...
    expect(seedFrom('abc')).toBe(0xba7816bf);
    expect(seedFrom('promptgate/accuracy')).toBe(seedFrom('promptgate/accuracy'));
    expect(seedFrom('a')).not.toBe(seedFrom('b'));
  });

  it('repeats its sequence for a seed and spreads values over [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(Array.from({ length: 10000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });
});

describe('mcnemarOneSided', () => {
  it('matches the exact binomial tail', () => {
    expect(mcnemarOneSided(10, 2)).toBe(79 / 4096); // 0.019287...
    expect(mcnemarOneSided(3, 0)).toBe(1 / 8);
    expect(mcnemarOneSided(5, 5)).toBe(638 / 1024); // symmetric: just above one half
    expect(mcnemarOneSided(2, 10)).toBe(1 - 13 / 4096); // 1 - P(X = 0) - P(X = 1), X ~ Bin(12, 1/2)
  });

  it('is 1 when nothing got worse or nothing is discordant', () => {
    expect(mcnemarOneSided(0, 5)).toBe(1);
    expect(mcnemarOneSided(0, 0)).toBe(1);
  });

  it('stays finite for thousands of discordant pairs', () => {
    const even = mcnemarOneSided(1000, 1000);
    expect(even).toBeGreaterThan(0.5);
    expect(even).toBeLessThan(0.52);
    const lopsided = mcnemarOneSided(1200, 800);
    expect(lopsided).toBeGreaterThan(0);
    expect(lopsided).toBeLessThan(1e-15);
  });
});

describe('signFlipPValue', () => {
  it('enumerates every sign pattern for small samples', () => {
    // |d| = 1, 2, 3: sums 6, 4, 2, 0, 0, -2, -4, -6; observed 0, so 5 of 8 are <= it.
    expect(signFlipPValue([-1, -2, 3], 1)).toBe(5 / 8);
    expect(signFlipPValue([-1, -1, -1], 1)).toBe(1 / 8);
    expect(signFlipPValue([1, 1, 1], 1)).toBe(1);
    // zeros carry no sign information: only -0.5 and -0.25 are flipped.
    expect(signFlipPValue([-0.5, 0, -0.25], 1)).toBe(1 / 4);
  });

  it('counts float-rounded ties as ties', () => {
    // 0.1 + 0.2 - 0.3 is 5.6e-17, not 0; the two zero-sum patterns must still count.
    expect(signFlipPValue([0.1, 0.2, -0.3], 1)).toBe(5 / 8);
  });

  it('is 1 when every difference is zero', () => {
    expect(signFlipPValue([0, 0, 0], 1)).toBe(1);
    expect(signFlipPValue([], 1)).toBe(1);
  });

  it('is exact up to 16 nonzero differences', () => {
    expect(signFlipPValue(Array<number>(16).fill(-0.5), 7)).toBe(2 ** -16);
  });

  it('samples sign patterns beyond 16, reproducibly for a seed', () => {
    const worse = Array<number>(20).fill(-0.5);
    const p = signFlipPValue(worse, 7);
    expect(p).toBe(signFlipPValue(worse, 7));
    expect(p).toBeGreaterThan(0); // the observed pattern counts, so never 0
    expect(p).toBeLessThan(0.001);
    // 10 of each sign: P(S <= 0) = 1/2 + P(S = 0)/2 = 1/2 + C(20,10)/2^21 = 0.5881...
    const balanced = Array.from({ length: 20 }, (_, i) => (i % 2 ? 0.5 : -0.5));
    expect(signFlipPValue(balanced, 7)).toBeCloseTo(0.5 + 184756 / 2 ** 21, 1);
  });
});

describe('signFlipPValue past 1,000 differences', () => {
  // Sampling 10,000 sign patterns costs 10,000 x m: 3.5-4.5 s a metric at 20,000 cases. Past 1,000
  // the p-value is read off the normal distribution (with its kurtosis term, and half a step
  // of continuity correction on a lattice); it must be as close as the sampling ever was.
  it('gives the exact tail for differences of one size (a binomial: the McNemar tail)', () => {
    for (const [worse, better] of [
      [540, 462],
      [530, 471],
      [1100, 1000],
      [600, 600],
    ] as const) {
      const diffs = [...Array<number>(worse).fill(-0.5), ...Array<number>(better).fill(0.5)];
      expect(Math.abs(signFlipPValue(diffs, 1) - mcnemarOneSided(worse, better))).toBeLessThan(0.0005);
    }
  });

  it('agrees with sampled sign patterns on scores of a scale and on continuous ones', () => {
    const rand = mulberry32(9);
    const scale = Array.from({ length: 1500 }, () => [0.25, 0.5, 0.75, 1][Math.floor(rand() * 4)]! * (rand() < 0.48 ? 1 : -1));
    const continuous = Array.from({ length: 1200 }, () => (rand() - 0.52) * rand());
    for (const diffs of [scale, continuous]) {
      const observed = diffs.reduce((s, d) => s + d, 0);
      const sample = mulberry32(5);
      let atMost = 0;
      for (let k = 0; k < 20_000; k++) {
        let sum = 0;
        for (const d of diffs) sum += sample() < 0.5 ? -Math.abs(d) : Math.abs(d);
        if (sum <= observed + 1e-9) atMost++;
      }
      // 20,000 patterns: a standard error of at most 0.0035.
      expect(Math.abs(signFlipPValue(diffs, 1) - atMost / 20_000)).toBeLessThan(0.01);
    }
    expect(signFlipPValue(scale, 1)).toBeLessThan(0.5);
  });
});

describe('bootstrapCi', () => {
  const diffs = [-0.4, 0.1, -0.2, 0, -0.3, 0.2, -0.1, -0.5, 0, -0.2];
  const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;

  it('reproduces with a fixed seed and brackets the mean', () => {
    const [lo, hi] = bootstrapCi(diffs, 123);
    expect(bootstrapCi(diffs, 123)).toEqual([lo, hi]);
    expect(lo).toBeLessThan(mean);
    expect(hi).toBeGreaterThan(mean);
    // Resampled means of these diffs lie in [min, max] of them.
    expect(lo).toBeGreaterThanOrEqual(-0.5);
    expect(hi).toBeLessThanOrEqual(0.2);
    // Roughly mean +/- 1.96 standard errors (sd 0.21 / sqrt(10)).
    expect(lo).toBeCloseTo(mean - 0.13, 1);
    expect(hi).toBeCloseTo(mean + 0.13, 1);
  });

  it('narrows with more data', () => {
    const [lo, hi] = bootstrapCi(diffs, 123);
    const [lo4, hi4] = bootstrapCi([...diffs, ...diffs, ...diffs, ...diffs], 123);
    expect(hi4 - lo4).toBeLessThan(hi - lo);
  });

  it('is the normal interval past 1,000 differences, as the resampled one nearly is there', () => {
    const rand = mulberry32(11);
    const many = Array.from({ length: 1001 }, () => (rand() - 0.55) * rand());
    const mean = many.reduce((s, d) => s + d, 0) / many.length;
    const se = Math.sqrt(many.reduce((s, d) => s + (d - mean) ** 2, 0) / many.length / many.length);
    const [lo, hi] = bootstrapCi(many, 3);
    expect(lo).toBeCloseTo(mean - 1.96 * se, 4);
    expect(hi).toBeCloseTo(mean + 1.96 * se, 4);
    const [resampledLo, resampledHi] = bootstrapCi(many.slice(0, 1000), 3);
    expect(Math.abs(resampledLo - lo)).toBeLessThan(0.1 * se);
    expect(Math.abs(resampledHi - hi)).toBeLessThan(0.1 * se);
  });

  it('gives [d, d] for all-equal differences and [0, 0] for none', () => {
    expect(bootstrapCi([0.1, 0.1, 0.1], 5)).toEqual([0.1, 0.1]);
    expect(bootstrapCi([0, 0], 5)).toEqual([0, 0]);
    expect(bootstrapCi([], 5)).toEqual([0, 0]);
  });
});

describe('pairedTest', () => {
  it('uses exact McNemar when every score is 0/1', () => {
    // 10 cases went 1 -> 0, 2 went 0 -> 1, 3 stayed 1.
    const base = [...Array<number>(10).fill(1), 0, 0, 1, 1, 1];
    const cand = [...Array<number>(10).fill(0), 1, 1, 1, 1, 1];
    const r = pairedTest(base, cand, 9);
    expect(r.p_value).toBe(79 / 4096);
    expect(r.delta).toBeCloseTo(-8 / 15, 12);
    expect(r.ci95[0]).toBeLessThan(r.delta);
    expect(r.ci95[1]).toBeGreaterThan(r.delta);
    expect(r.ci95[1]).toBeLessThan(0);
  });

  it('uses the sign-flip test for fractional scores', () => {
    const r = pairedTest([0.5, 0.5, 0.5], [0.4, 0.3, 0.8], 9);
    expect(r.p_value).toBe(5 / 8);
    expect(r.delta).toBeCloseTo(0, 12);
  });

  it('is deterministic for a seed and neutral for identical sides', () => {
    const base = [0.2, 0.9, 0.5, 0.7];
    const cand = [0.1, 0.8, 0.6, 0.2];
    expect(pairedTest(base, cand, 3)).toEqual(pairedTest(base, cand, 3));
    expect(pairedTest(base, base, 3)).toEqual({ delta: 0, ci95: [0, 0], p_value: 1 });
  });

  it('refuses unpaired inputs', () => {
    expect(() => pairedTest([1, 0], [1], 1)).toThrow('2 baseline scores vs 1 candidate scores');
  });
});
