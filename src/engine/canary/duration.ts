// Durations as the manifest writes them (`min_duration: 24h`; SPEC 10.1: s, m, h or d).
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The largest unit that reads naturally: 90 minutes is "1.5h", 2 days "2d". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms >= UNIT_MS[unit]) return `${Number((ms / UNIT_MS[unit]).toFixed(1))}${unit}`;
  }
  return `${Math.max(0, Math.round(ms / 1000))}s`;
}
