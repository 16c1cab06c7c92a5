import { describe, expect, test } from 'vitest';
import { count, duration, interval, pct, pp, usd } from '../src/engine/report/format.js';

describe('pct', () => {
  test('one decimal, null and non-finite as a dash', () => {
    expect(pct(0.8123)).toBe('81.2%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(0)).toBe('0.0%');
    expect(pct(0.8125)).toBe('81.3%');
    expect(pct(null)).toBe('—');
    expect(pct(Number.NaN)).toBe('—');
  });
});

describe('pp', () => {
  test('signed percentage points with a true minus sign', () => {
    expect(pp(0.031)).toBe('+3.1 pp');
    expect(pp(-0.05)).toBe('−5.0 pp');
    expect(pp(0)).toBe('±0.0 pp');
    expect(pp(null)).toBe('—');
  });

  test('a delta that rounds to zero has no sign', () => {
    expect(pp(-0.0004)).toBe('±0.0 pp');
    expect(pp(0.0004)).toBe('±0.0 pp');
  });
});

describe('interval', () => {
  test('both ends signed', () => {
    expect(interval([-0.081, 0.02])).toBe('[−8.1, +2.0] pp');
    expect(interval([-0.15, -0.05])).toBe('[−15.0, −5.0] pp');
    expect(interval([0, 0.1])).toBe('[±0.0, +10.0] pp');
    expect(interval(null)).toBe('—');
  });
});

describe('usd', () => {
  test('cents from a dollar up, four decimals below', () => {
    expect(usd(0)).toBe('$0.00');
    expect(usd(0.0123)).toBe('$0.0123');
    expect(usd(0.00001)).toBe('<$0.0001');
    expect(usd(1.5)).toBe('$1.50');
    expect(usd(1234.567)).toBe('$1,234.57');
  });
});

describe('duration and count', () => {
  test('unit by magnitude', () => {
    expect(duration(420)).toBe('420 ms');
    expect(duration(12_300)).toBe('12.3 s');
    expect(duration(125_000)).toBe('2 min 5 s');
    expect(duration(3_725_000)).toBe('1 h 2 min');
    expect(count(12_345)).toBe('12,345');
  });
});

describe('count and usd write what Intl.NumberFormat en-US writes', () => {
  const intlCount = new Intl.NumberFormat('en-US');
  const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const smallDollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 4 });
  // Integers, fractions, exact ties in binary (x.5, x.125) and values just off them, both signs.
  const values = [0, -0, 1, -1, 999, 1000, 12_345, 1_234_567, 1e15 - 1, 0.5, 2.5, 0.125, 1.0005, 1.005, 0.00005, 0.00015];
  // Past the plain path's limit, and what is not a number at all.
  values.push(1e11 - 0.001, 1e11, -1e11, 1e21, -1.2345678901234e25, Number.MAX_VALUE, Number.NaN, Infinity, -Infinity);
  for (let i = 0; i < 2000; i++) {
    const magnitude = 10 ** Math.floor(i / 200 - 4); // 1e-4 to 1e5
    values.push((Math.round(Math.sin(i + 1) * 1e6) / 1e6) * magnitude, (Math.round(Math.cos(i) * 8) / 8) * magnitude);
  }

  test('count', () => {
    for (const n of values) expect(count(n), String(n)).toBe(intlCount.format(n));
  });

  test('usd', () => {
    for (const x of values.filter((v) => !(v > 0 && v < 0.00005)))
      expect(usd(x), String(x)).toBe((x >= 1 || x === 0 ? dollars : smallDollars).format(x));
  });
});
