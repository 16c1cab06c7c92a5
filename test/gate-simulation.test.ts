import { describe, expect, it } from 'vitest';
import { betaSample, caseProbabilities, lowerLogOdds, simulatedModel } from '../bench/gate-simulation.js';
import { mulberry32 } from '../src/engine/gate/stats.js';
import type { ModelCall } from './servers/model-server.js';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function call(content: string, params: Record<string, unknown>): ModelCall {
  return { api: 'openai', model: 'm', messages: [{ role: 'user', content }], params, headers: {} };
}

describe('gate simulation model', () => {
  it('draws Beta(0.8, 0.2) probabilities with mean 0.8 and both easy and hard cases', () => {
    const rand = mulberry32(1);
    const ps = Array.from({ length: 20000 }, () => betaSample(0.8, 0.2, rand));
    expect(mean(ps)).toBeCloseTo(0.8, 2);
    expect(ps.filter((p) => p > 0.95).length / ps.length).toBeGreaterThan(0.4);
    expect(ps.filter((p) => p < 0.05).length).toBeGreaterThan(0);
  });

  it('lowers the mean by exactly the drop on the logit scale, keeping order and certain cases', () => {
    const ps = [1, 0.99, 0.9, 0.5, 0.2, 0];
    const lowered = lowerLogOdds(ps, 0.1);
    expect(mean(ps) - mean(lowered)).toBeCloseTo(0.1, 9);
    expect(lowered[0]).toBe(1);
    expect(lowered[5]).toBe(0);
    // Coin flips move more than near-certain cases.
    expect(ps[3]! - lowered[3]!).toBeGreaterThan(ps[1]! - lowered[1]!);
    expect([...lowered].sort((a, b) => b - a)).toEqual(lowered);
  });

  it('answers a fixed function of the question at temperature 0, and of the seed otherwise', () => {
    const question = 'pr=suite-3 case=7 variant=baseline';
    const det = [1, 2, 3].map((seed) => simulatedModel(call(question, { temperature: 0, seed })));
    expect(new Set(det.map((r) => JSON.stringify(r))).size).toBe(1);
    const again = simulatedModel(call(question, { temperature: 1, seed: 42 }));
    expect(simulatedModel(call(question, { temperature: 1, seed: 42 }))).toEqual(again);
    expect(simulatedModel(call('something else', { temperature: 1 }))).toEqual({ status: 400 });
  });

  it('answers "yes" about as often as the case probability across seeds', () => {
    const ps = caseProbabilities('suite-0', 'baseline');
    const n = 2000;
    for (const caseNo of [0, 1, 2]) {
      const yes = Array.from({ length: n }, (_, seed) =>
        simulatedModel(call(`pr=suite-0 case=${caseNo} variant=baseline`, { temperature: 1, seed })),
      ).filter((r) => 'text' in r && r.text === 'yes').length;
      // 4.5 standard errors: a wrong probability or a stuck draw fails, sampling noise does not.
      expect(Math.abs(yes / n - ps[caseNo]!)).toBeLessThan(4.5 * Math.sqrt(0.25 / n));
    }
  });
});
