export type Arm = 'canary' | 'control';
/** One canary step: its salt and weight, with the exact threshold computed once. */
export declare class Rollout {
    private readonly salt;
    private readonly weight;
    /**
     * For an integer h, h * 100 * denominator < numerator * H_MAX exactly when h < T with
     * T = ceil(numerator * H_MAX / (100 * denominator)). T is kept split at bit 32 so each
     * call compares two doubles exactly instead of doing BigInt arithmetic.
     */
    private readonly thresholdHigh;
    private readonly thresholdLow;
    constructor(salt: string, weight: number);
    /** The arm for a key (sticky), or a random draw for each call without one. */
    arm(key: string | undefined): Arm;
}
