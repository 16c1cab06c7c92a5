#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  sha256
} from "./chunk-OVNAAY32.js";

// src/engine/gate/stats.ts
function seedFrom(text) {
  return Number.parseInt(sha256(text).slice(0, 8), 16);
}
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function mean(xs) {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}
function bootstrapCi(diffs, seed, iterations = 2e3) {
  const first = diffs[0];
  if (first === void 0) return [0, 0];
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
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(rand() * n)];
    means[b] = sum / n;
  }
  means.sort();
  return [quantile(means, 0.025), quantile(means, 0.975)];
}
function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
function mcnemarOneSided(worse, better) {
  const n = worse + better;
  if (worse <= 0) return 1;
  let choose = 1n;
  let tail = 0n;
  for (let k = 0; k <= n; k++) {
    if (k > 0) choose = choose * BigInt(n - k + 1) / BigInt(k);
    if (k >= worse) tail += choose;
  }
  return Math.min(1, dyadic(tail, n));
}
function dyadic(num, bits) {
  const excess = Math.max(0, num.toString(2).length - 64);
  return Number(num >> BigInt(excess)) * 2 ** (excess - bits);
}
var EXACT_LIMIT = 16;
var NORMAL_LIMIT = 1e3;
function signFlipPValue(diffs, seed, iterations = 1e4) {
  const nonzero = diffs.filter((d) => d !== 0);
  const m = nonzero.length;
  if (m === 0) return 1;
  const abs = nonzero.map(Math.abs);
  const observed = nonzero.reduce((s, d) => s + d, 0);
  const tolerance = 1e-9 * abs.reduce((s, d) => s + d, 0);
  const atMostObserved = (sum) => sum <= observed + tolerance;
  if (m <= EXACT_LIMIT) {
    let count2 = 0;
    const patterns = 2 ** m;
    for (let mask = 0; mask < patterns; mask++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += mask & 1 << i ? -abs[i] : abs[i];
      if (atMostObserved(sum)) count2++;
    }
    return count2 / patterns;
  }
  if (m > NORMAL_LIMIT) return signFlipNormal(abs, observed, tolerance);
  const rand = mulberry32(seed);
  let count = 0;
  for (let b = 0; b < iterations; b++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += rand() < 0.5 ? -abs[i] : abs[i];
    if (atMostObserved(sum)) count++;
  }
  return (count + 1) / (iterations + 1);
}
function signFlipNormal(abs, observed, tolerance) {
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
  const kurtosis = -2 * fourth / (variance * variance);
  const density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  const p = 0.5 * erfc(-z / Math.SQRT2) - density * kurtosis * (z ** 3 - 3 * z) / 24;
  return Math.min(1, Math.max(0, p));
}
function erfc(x) {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
  return x >= 0 ? r : 2 - r;
}
function pairedTest(base, cand, seed) {
  if (base.length !== cand.length) throw new Error(`pairedTest: ${base.length} baseline scores vs ${cand.length} candidate scores`);
  const diffs = cand.map((c, i) => c - base[i]);
  const binary = [...base, ...cand].every((x) => x === 0 || x === 1);
  let p_value;
  if (binary) {
    const worse = diffs.filter((d) => d < 0).length;
    const better = diffs.filter((d) => d > 0).length;
    p_value = mcnemarOneSided(worse, better);
  } else {
    p_value = signFlipPValue(diffs, seed);
  }
  return { delta: mean(diffs), ci95: bootstrapCi(diffs, seed), p_value };
}

export {
  seedFrom,
  mean,
  erfc,
  pairedTest
};
