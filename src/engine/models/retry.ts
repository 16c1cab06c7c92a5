// When a failed attempt is worth another try, and how long to wait before it.

/** Why one attempt failed, independent of the SDK that made it. */
export type AttemptFailure =
  | { kind: 'http'; status: number; message: string; retryAfterMs?: number }
  | { kind: 'connection'; message: string }
  | { kind: 'timeout' }
  | { kind: 'malformed'; message: string };

const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 20_000;
/** A server asking for a longer pause than this is not waited for: the run would stall. */
export const MAX_RETRY_AFTER_MS = 60_000;
/**
 * A malformed body is usually a server bug that repeats, occasionally a proxy or an
 * overloaded gateway cutting responses short for a moment: two more attempts ride out
 * a short burst without hammering a server that is simply broken.
 */
const MALFORMED_RETRIES = 2;

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Whether a failure may be retried, given how many malformed bodies this request has
 * already seen (including this one).
 */
export function isRetryable(failure: AttemptFailure, malformedSoFar: number): boolean {
  switch (failure.kind) {
    case 'http':
      return isRetryableStatus(failure.status) && (failure.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
    case 'connection':
    case 'timeout':
      return true;
    case 'malformed':
      return malformedSoFar <= MALFORMED_RETRIES;
  }
}

/**
 * Delay before retry number `retry` (0 for the first retry). The server's own
 * `retry-after` is honoured as a minimum, with up to 20% jitter on top so a burst of
 * rate-limited requests does not come back in lockstep; otherwise exponential backoff
 * with full jitter.
 */
export function retryDelayMs(failure: AttemptFailure, retry: number, random: () => number = Math.random): number {
  if (failure.kind === 'http' && failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs * (1 + 0.2 * random());
  }
  return random() * Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** retry);
}

/** Reads `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP date). */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}
