// Latency quantiles from a streaming log-bucketed histogram: constant memory whatever the
// number of calls, each value placed within 1% of itself.

/** Bucket i holds values in (GAMMA^(i-1), GAMMA^i]; values <= MIN_VALUE share bucket ZERO. */
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);
const MIN_VALUE = 1e-3;
const ZERO = Number.MIN_SAFE_INTEGER;

export class Histogram {
  readonly counts = new Map<number, number>();
  total = 0;

  add(value: number): void {
    const bucket = bucketOf(value);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
  }

  /** The bucket holding the q-quantile (nearest rank), or null when empty. */
  quantileBucket(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const bucket of this.sortedBuckets()) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank) return bucket;
    }
    return null;
  }

  /** Values whose bucket lies above `bucket` (a bucket index, so both arms count alike). */
  countAbove(bucket: number): number {
    let n = 0;
    for (const [b, count] of this.counts) if (b > bucket) n += count;
    return n;
  }

  /** Values whose bucket lies below `bucket`. */
  countBelow(bucket: number): number {
    let n = 0;
    for (const [b, count] of this.counts) if (b < bucket) n += count;
    return n;
  }

  private sortedBuckets(): number[] {
    return [...this.counts.keys()].sort((a, b) => a - b);
  }
}

export function bucketOf(value: number): number {
  return value <= MIN_VALUE ? ZERO : Math.ceil(Math.log(value) / LOG_GAMMA);
}

/** The largest value a bucket holds: what the report shows for a quantile. */
export function upperEdge(bucket: number): number {
  return bucket === ZERO ? 0 : GAMMA ** bucket;
}

/** `latency_p95_ms` -> 0.95; null for a name that is not a latency quantile. */
export function latencyQuantileOf(metric: string): number | null {
  const match = /^latency_p(\d{1,2}(?:\.\d+)?)_ms$/.exec(metric);
  return match ? Number(match[1]) / 100 : null;
}
