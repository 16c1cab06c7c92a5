import { UserError } from '../errors.js';
import { compileRegex, type UserRegex } from './regex.js';
import type { Metric } from '../types.js';
import type { Scorer, ScorerDeps } from './index.js';
import { bool, describeMetric, metricValue } from './value.js';

type Check = (output: string, value: string) => boolean;

/** A metric that checks the output against its rendered `value`. */
export function textScorer(check: Check): (metric: Metric, deps: ScorerDeps) => Scorer {
  return (metric, deps) => {
    const value = metricValue(metric, deps);
    return async ({ output, case: c }) => ({ score: bool(check(output, value.forCase(c))) });
  };
}

/** regex (1 when the output matches; `not-regex` is its inverse). */
export function regexScorer(metric: Metric, deps: ScorerDeps): Scorer {
  const value = metricValue(metric, deps);
  const staticRe = value.static === undefined ? undefined : compileStatic(metric, value.static);
  return async ({ output, case: c }) => {
    const re = staticRe ?? compileRegex(value.forCase(c));
    return { score: bool(re.test(output)) };
  };
}

function compileStatic(metric: Metric, pattern: string): UserRegex {
  try {
    return compileRegex(pattern);
  } catch (err) {
    throw new UserError(`${describeMetric(metric)}: ${(err as Error).message}`);
  }
}

export function maxLengthScorer(metric: Metric, deps: ScorerDeps): Scorer {
  const value = metricValue(metric, deps);
  const limitOf = (text: string): number => {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new UserError(`${describeMetric(metric)} needs a non-negative number as \`value\`, got "${text}".`);
    }
    return n;
  };
  const staticLimit = value.static === undefined ? undefined : limitOf(value.static);
  // Characters are code points, so an emoji counts once, as a reader would count it.
  return async ({ output, case: c }) => ({ score: bool([...output].length <= (staticLimit ?? limitOf(value.forCase(c)))) });
}
