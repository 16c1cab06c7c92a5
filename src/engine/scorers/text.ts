import { UserError } from '../errors.js';
import { compileRegex } from './regex.js';
import type { Metric } from '../types.js';
import type { Scorer, ScorerDeps } from './index.js';
import { bool, describeMetric, metricValue, type MetricValue } from './value.js';

type Check = (output: string, value: string) => boolean;

const CHECKS: Record<string, Check> = {
  equals: (output, value) => output.trim() === value.trim(),
  contains: (output, value) => output.includes(value),
  icontains: (output, value) => output.toLowerCase().includes(value.toLowerCase()),
  'not-contains': (output, value) => !output.includes(value),
  // Leading whitespace is formatting noise that models emit freely; the value is taken literally.
  'starts-with': (output, value) => output.trimStart().startsWith(value),
};

/** equals, contains, icontains, not-contains, starts-with, regex, not-regex, max-length. */
export function createTextScorer(metric: Metric, deps: ScorerDeps): Scorer {
  const value = metricValue(metric, deps);
  if (metric.type === 'regex' || metric.type === 'not-regex') return regexScorer(metric, value);
  if (metric.type === 'max-length') return maxLengthScorer(metric, value);
  const check = CHECKS[metric.type];
  if (!check) throw new Error(`not a text metric: ${metric.type}`);
  return async ({ output, case: c }) => ({ score: bool(check(output, value.forCase(c))) });
}

function regexScorer(metric: Metric, value: MetricValue): Scorer {
  const wantMatch = metric.type === 'regex';
  const staticRe = value.static === undefined ? undefined : compileStatic(metric, value.static);
  return async ({ output, case: c }) => {
    const re = staticRe ?? compileRegex(value.forCase(c));
    // search() ignores lastIndex, so a pattern compiled with a `g` flag stays stateless.
    return { score: bool((output.search(re) !== -1) === wantMatch) };
  };
}

function compileStatic(metric: Metric, pattern: string): RegExp {
  try {
    return compileRegex(pattern);
  } catch (err) {
    throw new UserError(`${describeMetric(metric)}: ${(err as Error).message}`);
  }
}

function maxLengthScorer(metric: Metric, value: MetricValue): Scorer {
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
