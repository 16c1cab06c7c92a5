// Canary bucketing (SPEC 12.1): sticky per key, monotone in the weight. With a key, `h` is
// the first 15 hex digits of sha1(salt + "." + key) read as an integer, and the arm is
// canary when h * 100 < weight * 0xFFFFFFFFFFFFFFF, in exact integer arithmetic.
import { createHash } from 'node:crypto';

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

/** One canary step: its salt and weight, with the comparison's constant sides computed once. */
export class Rollout {
  /** canary iff h * left < right, i.e. h * 100 * denominator < numerator * H_MAX. */
  private readonly left: bigint;
  private readonly right: bigint;

  constructor(
    private readonly salt: string,
    private readonly weight: number,
  ) {
    const { numerator, denominator } = exactPercent(weight);
    this.left = 100n * denominator;
    this.right = numerator * H_MAX;
  }

  /** The arm for a key (sticky), or a random draw for each call without one. */
  arm(key: string | undefined): Arm {
    if (key === undefined) return Math.random() * 100 < this.weight ? 'canary' : 'control';
    const h = BigInt(`0x${createHash('sha1').update(`${this.salt}.${key}`).digest('hex').slice(0, 15)}`);
    return h * this.left < this.right ? 'canary' : 'control';
  }
}
