// Number formats for the markdown report. Scores are fractions in [0, 1] shown as percentages
// with one decimal; deltas and intervals are in percentage points.

const DASH = '—';
const MINUS = '\u2212';

/** "1234567.891" -> "1,234,567.891": en-US grouping of a plain decimal string. */
function grouped(decimal: string): string {
  const dot = decimal.indexOf('.');
  const whole = dot < 0 ? decimal : decimal.slice(0, dot);
  return whole.replace(/\B(?=(\d{3})+$)/g, ',') + (dot < 0 ? '' : decimal.slice(dot));
}

/**
 * |x| with `digits` decimals, rounded half away from zero on its shortest decimal form, as ICU
 * rounds (1.0005 -> "1.001", where toFixed sees the binary value just below and writes "1.000").
 */
function fixed(x: number, digits: number): string {
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const scaled = String(Math.round(Number(`${mantissa}e${Number(exponent) + digits}`))).padStart(digits + 1, '0');
  return digits ? `${scaled.slice(0, -digits)}.${scaled.slice(-digits)}` : scaled;
}

const minus = (x: number) => (x < 0 || Object.is(x, -0) ? '-' : '');

/** Below this, a number scaled to its shown decimals is still an exact integer in a double; past it (and for NaN, ±∞) Intl writes it. */
const PLAIN_LIMIT = 1e11;

/** |x| as a percentage with one decimal, and the sign that survives the rounding. */
function roundedPercent(x: number): { digits: string; sign: number } {
  const tenths = Math.round(Math.abs(x) * 1000);
  return { digits: (tenths / 10).toFixed(1), sign: tenths === 0 ? 0 : Math.sign(x) };
}

/** Percentage points with an explicit sign: "+3.1", "−5.0", "±0.0". */
function signedPoints(x: number): string {
  const { digits, sign } = roundedPercent(x);
  return `${sign > 0 ? '+' : sign < 0 ? MINUS : '±'}${digits}`;
}

const known = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** 0.8123 → "81.2%", null → "—". */
export function pct(x: number | null): string {
  if (!known(x)) return DASH;
  const { digits, sign } = roundedPercent(x);
  return `${sign < 0 ? MINUS : ''}${digits}%`;
}

/** 0.031 → "+3.1 pp", -0.05 → "−5.0 pp", 0 → "±0.0 pp", null → "—". */
export function pp(delta: number | null): string {
  return known(delta) ? `${signedPoints(delta)} pp` : DASH;
}

/** [-0.081, 0.02] → "[−8.1, +2.0] pp", null → "—". */
export function interval(ci: [number, number] | null): string {
  return ci && known(ci[0]) && known(ci[1]) ? `[${signedPoints(ci[0])}, ${signedPoints(ci[1])}] pp` : DASH;
}

/**
 * 12345 → "12,345"; a fraction keeps up to three decimals. Exactly what
 * `Intl.NumberFormat('en-US')` writes, without it: the first Intl formatter loads ICU's locale
 * data, ~35 ms at the end of every run that prints a count or a cost.
 */
export function count(n: number): string {
  if (!(Math.abs(n) < PLAIN_LIMIT)) return n.toLocaleString('en-US');
  return minus(n) + grouped(fixed(n, 3).replace(/\.?0+$/, ''));
}

/** Dollars: cents from $1 up, four decimals below, since an eval run often costs less than a cent. */
export function usd(x: number): string {
  if (x > 0 && x < 0.00005) return '<$0.0001';
  const decimals = x >= 1 || x === 0 ? 2 : 4;
  if (!(Math.abs(x) < PLAIN_LIMIT))
    return x.toLocaleString('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: decimals });
  return `${minus(x)}$${grouped(fixed(x, decimals))}`;
}

/** 420 → "420 ms", 12_300 → "12.3 s", 125_000 → "2 min 5 s", 3_725_000 → "1 h 2 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `1 prompt`, `2 prompts`, with the count formatted like count(). */
export function plural(n: number, word: string, plural = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : plural}`;
}
