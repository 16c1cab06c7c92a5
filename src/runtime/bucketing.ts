// Canary bucketing (SPEC 12.1): sticky per key, monotone in the weight. With a key, `h` is
// the first 15 hex digits of sha1(salt + "." + key) read as an integer, and the arm is
// canary when h * 100 < weight * 0xFFFFFFFFFFFFFFF, in exact integer arithmetic.
import * as crypto from 'node:crypto';

export type Arm = 'canary' | 'control';

/** The largest value of 15 hex digits. */
const H_MAX = 0xfffffffffffffffn;

/** A weight (percent, possibly fractional such as 0.5) as an exact fraction numerator / denominator. */
function exactPercent(weight: number): { numerator: bigint; denominator: bigint } {
  const text = /e/i.test(String(weight)) ? weight.toFixed(20) : String(weight);
  const [whole = '0', fraction = ''] = text.split('.');
  const digits = fraction.replace(/0+$/, '');
  return { numerator: BigInt(whole + digits), denominator: 10n ** BigInt(digits.length) };
}

/** sha1 hex of `text`: the one-shot `crypto.hash` where Node has it (>= 20.12), else a Hash object. */
const sha1Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(algorithm: string, data: string): string }).hash('sha1', text)
    : (text) => crypto.createHash('sha1').update(text).digest('hex');

/** 2^32, to split a 60-bit integer into the 28 bits above it and the 32 below. */
const LOW = 0x1_0000_0000;

/** One canary step: its salt and weight, with the exact threshold computed once. */
export class Rollout {
  /**
   * For an integer h, h * 100 * denominator < numerator * H_MAX exactly when h < T with
   * T = ceil(numerator * H_MAX / (100 * denominator)). T is kept split at bit 32 so each
   * call compares two doubles exactly instead of doing BigInt arithmetic.
   */
  private readonly thresholdHigh: number;
  private readonly thresholdLow: number;

  constructor(
    private readonly salt: string,
    private readonly weight: number,
  ) {
    const { numerator, denominator } = exactPercent(weight);
    const left = 100n * denominator;
    const threshold = (numerator * H_MAX + left - 1n) / left;
    this.thresholdHigh = Number(threshold / BigInt(LOW));
    this.thresholdLow = Number(threshold % BigInt(LOW));
  }

  /** The arm for a key (sticky), or a random draw for each call without one. */
  arm(key: string | undefined): Arm {
    if (key === undefined) return Math.random() * 100 < this.weight ? 'canary' : 'control';
    // h = the first 15 hex digits: 7 digits (28 bits) above bit 32, then 8 digits (32 bits).
    const hex = sha1Hex(`${this.salt}.${key}`);
    const high = parseInt(hex.slice(0, 7), 16);
    const low = parseInt(hex.slice(7, 15), 16);
    return high < this.thresholdHigh || (high === this.thresholdHigh && low < this.thresholdLow) ? 'canary' : 'control';
  }
}
