import { caseIndex } from '../../src/engine/evaluate/case-index.js';
import type { LaidOutSamples } from '../../src/engine/gate/compare.js';
import type { Sample } from '../../src/engine/types.js';

/**
 * Samples as an evaluation lays them out (EvalResult): by case, in order of first appearance,
 * a case's repeats together, as many for each. Refuses samples that are not.
 */
export function laidOut(samples: Sample[]): LaidOutSamples {
  const ids = [...new Set(samples.map((s) => s.caseId))];
  const repeat = ids.length ? samples.length / ids.length : 1;
  samples.forEach((s, i) => {
    if (s.caseId !== ids[Math.floor(i / repeat)]) throw new Error(`sample ${i} (${s.caseId}) is not laid out by case`);
  });
  return { samples, cases: caseIndex(ids.map((id) => ({ id, vars: {}, file: 'evals/test.jsonl' }))), repeat };
}
