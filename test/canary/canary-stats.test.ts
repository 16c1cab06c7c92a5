// The canary's statistics against independent references.
import { describe, expect, it } from 'vitest';
import { differenceBound, srmPValue, type Moments } from '../../src/engine/canary/sequential.js';
import { erfc } from '../../src/engine/gate/stats.js';

describe('one-sided always-valid confidence sequence', () => {
  // GrowthBook's own expected values for its sequential one-sided t-tests on absolute
  // differences, default settings (alpha 0.05, sequential_tuning_parameter 5000), from
  // growthbook/growthbook packages/stats/tests/frequentist/test_tests.py,
  // TestSequentialOneSided{Lesser,Greater}TTest.test_one_sided_ttest_absolute:
  //   stat_a = SampleMeanStatistic(sum=1396.87, sum_squares=52377.9767, n=3000)  (control)
  //   stat_b = SampleMeanStatistic(sum=2422.7, sum_squares=134698.29, n=3461)    (treatment)
  //   expected = 0.23437666666666668
  //   lesser  ci = (-inf, 0.5953217750613832)
  //   greater ci = (-0.12656844172804982, inf)
  // These are outputs of gbstats as GrowthBook publishes them (PyPI is not reachable here,
  // so gbstats itself could not be run); our implementation was written from the formula.
  const control: Moments = { n: 3000, sum: 1396.87, sumSquares: 52377.9767 };
  const canary: Moments = { n: 3461, sum: 2422.7, sumSquares: 134698.29 };

  it('matches gbstats on the upper bound', () => {
    const upper = differenceBound(control, canary, 0.05, 'upper');
    expect(upper.difference).toBeCloseTo(0.23437666666666668, 12);
    expect(upper.bound).toBeCloseTo(0.5953217750613832, 10);
  });

  it('matches gbstats on the lower bound', () => {
    expect(differenceBound(control, canary, 0.05, 'lower').bound).toBeCloseTo(-0.12656844172804982, 10);
  });

  it('is wider than the fixed-sample one-sided interval (the price of peeking)', () => {
    // Same source, OneSidedTreatmentLesserTTest absolute: ci upper 0.44796185327007765.
    expect(differenceBound(control, canary, 0.05, 'upper').bound).toBeGreaterThan(0.44796185327007765);
  });

  it('narrows as data accumulates at the same means and variances', () => {
    const scale = (m: Moments, k: number): Moments => ({ n: m.n * k, sum: m.sum * k, sumSquares: m.sumSquares * k });
    const widths = [1, 4, 16].map((k) => differenceBound(scale(control, k), scale(canary, k), 0.05, 'upper').halfWidth);
    expect(widths[1]).toBeLessThan(widths[0]!);
    expect(widths[2]).toBeLessThan(widths[1]!);
  });
});

describe('sample-ratio mismatch', () => {
  // Chi-square with 1 degree of freedom: P(X > 4) = erfc(sqrt(2)) = 0.04550026389635842
  // (python3 -c "import math; print(math.erfc(math.sqrt(2)))"), the textbook 0.0455.
  it('gives the chi-square p-value', () => {
    expect(srmPValue(5100, 4900, 0.5)).toBeCloseTo(0.04550026389635842, 6);
  });

  it('tests against the step weight, not an even split', () => {
    // 5% of 10000 is 500: 500 canary calls match exactly; 400 is far off.
    expect(srmPValue(9500, 500, 0.05)).toBeCloseTo(1, 6);
    expect(srmPValue(9600, 400, 0.05)).toBeLessThan(0.001);
  });

  it('erfc matches the standard library at tabulated points', () => {
    // python3: math.erfc(0.5), math.erfc(2), math.erfc(-1)
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 6);
    expect(erfc(2)).toBeCloseTo(0.004677734981047266, 8);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 6);
  });
});
