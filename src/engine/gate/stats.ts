// Paired statistics for the gate (SPEC 4). Every random choice comes from a seeded
// generator, so the same inputs always give the same interval and p-value.
import { sha256 } from '../artifact/hash.js';

/** A stable 32-bit seed from a string (the first 32 bits of its SHA-256). */
export function seedFrom(text: string): number {
  return Number.parseInt(sha256(text).slice(0, 8), 16);
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/**
 * 95% percentile-bootstrap interval of the mean paired difference; past NORMAL_LIMIT
 * differences, the normal interval the bootstrap's would be (mean +/- 1.96 standard errors).
 */
export function bootstrapCi(diffs: number[], seed: number, iterations = 2000): [number, number] {
  const first = diffs[0];
  if (first === undefined) return [0, 0];
  // Resampling a constant gives that constant; say so exactly rather than up to rounding.
  if (diffs.every((d) => d === first)) return [first, first];
  if (diffs.length > NORMAL_LIMIT) {
    const center = mean(diffs);
    const variance = diffs.reduce((s, d) => s + (d - center) ** 2, 0) / diffs.length;
    const half = 1.959963984540054 * Math.sqrt(variance / diffs.length);
    return [center - half, center + half];
  }
  const rand = mulberry32(seed);
  const n = diffs.length;
  const means = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(rand() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  return [quantile(means, 0.025), quantile(means, 0.975)];
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Exact one-sided McNemar test for "candidate worse": among the discordant pairs, `worse`
 * went 1 -> 0 and `better` 0 -> 1; p = P(X >= worse) for X ~ Binomial(worse + better, 1/2).
 */
export function mcnemarOneSided(worse: number, better: number): number {
  const n = worse + better;
  // P(X >= 0) is 1 exactly; summing the whole distribution would only approximate it.
  if (worse <= 0) return 1;
  // Exact integers: the tail count over 2^n, rounded once, so textbook values come out exact.
  let choose = 1n; // C(n, 0)
  let tail = 0n;
  for (let k = 0; k <= n; k++) {
    if (k > 0) choose = (choose * BigInt(n - k + 1)) / BigInt(k);
    if (k >= worse) tail += choose;
  }
  return Math.min(1, dyadic(tail, n));
}

/** num / 2^bits as a double, for a num too large to convert directly (2^n overflows past n = 1023). */
function dyadic(num: bigint, bits: number): number {
  const excess = Math.max(0, num.toString(2).length - 64);
  return Number(num >> BigInt(excess)) * 2 ** (excess - bits);
}

/** Above this many nonzero differences the 2^m sign patterns are sampled instead of enumerated. */
const EXACT_LIMIT = 16;

/**
 * Above this many, the statistics of a mean difference are read off the normal distribution
 * instead of resampled: sampling costs iterations x cases (3.5-4.5 s a metric at 20,000 cases),
 * and this many differences are normal to within the sampling's own error.
 */
const NORMAL_LIMIT = 1000;

/**
 * One-sided paired sign-flip (permutation) test for "candidate worse" (mean diff < 0):
 * the share of sign patterns of the nonzero |diffs| whose sum is at most the observed sum.
 * Exact when there are at most 16 nonzero diffs; up to 1,000, `iterations` random patterns,
 * counting the observed one so p is never 0; beyond, the normal approximation (signFlipNormal).
 */
export function signFlipPValue(diffs: number[], seed: number, iterations = 10000): number {
  const nonzero = diffs.filter((d) => d !== 0);
  const m = nonzero.length;
  if (m === 0) return 1;
  const abs = nonzero.map(Math.abs);
  const observed = nonzero.reduce((s, d) => s + d, 0);
  // Sums of the same magnitudes in another order may differ in the last bits.
  const tolerance = 1e-9 * abs.reduce((s, d) => s + d, 0);
  const atMostObserved = (sum: number): boolean => sum <= observed + tolerance;

  if (m <= EXACT_LIMIT) {
    let count = 0;
    const patterns = 2 ** m;
    for (let mask = 0; mask < patterns; mask++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += mask & (1 << i) ? -abs[i]! : abs[i]!;
      if (atMostObserved(sum)) count++;
    }
    return count / patterns;
  }
  if (m > NORMAL_LIMIT) return signFlipNormal(abs, observed, tolerance);
  const rand = mulberry32(seed);
  let count = 0;
  for (let b = 0; b < iterations; b++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += rand() < 0.5 ? -abs[i]! : abs[i]!;
    if (atMostObserved(sum)) count++;
  }
  return (count + 1) / (iterations + 1);
}

/**
 * P(S <= observed) for S, the sum of the magnitudes `abs` with fair random signs. S is
 * symmetric with variance sum(d^2) and excess kurtosis -2 sum(d^4) / sum(d^2)^2, so the
 * Edgeworth expansion's first term beyond the normal is the kurtosis one (the skewness term
 * vanishes); its error is then of order 1 / m^2. When every magnitude is a multiple of the
 * smallest (scores on a scale), S moves in steps of twice it: half a step of continuity
 * correction, as for a binomial.
 */
function signFlipNormal(abs: number[], observed: number, tolerance: number): number {
  let variance = 0;
  let fourth = 0;
  let smallest = Infinity;
  for (const d of abs) {
    variance += d * d;
    fourth += d ** 4;
    smallest = Math.min(smallest, d);
  }
  const onLattice = abs.every((d) => Math.abs(d / smallest - Math.round(d / smallest)) < 1e-6);
  const z = (observed + tolerance + (onLattice ? smallest : 0)) / Math.sqrt(variance);
  const kurtosis = (-2 * fourth) / (variance * variance);
  const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const p = 0.5 * erfc(-z / Math.SQRT2) - (density * kurtosis * (z ** 3 - 3 * z)) / 24;
  return Math.min(1, Math.max(0, p));
}

/**
 * Complementary error function, fractional error below 1.2e-7 everywhere (the Chebyshev
 * fit of Numerical Recipes, 2nd ed., section 6.2, `erfcc`): ample for a 0.001 threshold.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Paired comparison of per-case scores (same order on both sides): delta = mean(cand - base),
 * its bootstrap 95% interval, and a one-sided p-value for "candidate worse": exact McNemar
 * when every score is 0/1, the sign-flip test otherwise.
 */
export function pairedTest(base: number[], cand: number[], seed: number): { delta: number; ci95: [number, number]; p_value: number } {
  if (base.length !== cand.length) throw new Error(`pairedTest: ${base.length} baseline scores vs ${cand.length} candidate scores`);
  const diffs = cand.map((c, i) => c - base[i]!);
  const binary = [...base, ...cand].every((x) => x === 0 || x === 1);
  let p_value: number;
  if (binary) {
    const worse = diffs.filter((d) => d < 0).length;
    const better = diffs.filter((d) => d > 0).length;
    p_value = mcnemarOneSided(worse, better);
  } else {
    p_value = signFlipPValue(diffs, seed);
  }
  return { delta: mean(diffs), ci95: bootstrapCi(diffs, seed), p_value };
}
