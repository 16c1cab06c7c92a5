// Values that CLI flags, action inputs and promptgate.yaml share, each validated by one
// schema so the three outlets accept the same values. `max-cost-usd: 0` means "no paid
// calls": cache hits (and models priced at 0) still answer; every other call is refused.
import * as z from 'zod';
/** Where pr mode takes production's scores from: a fresh stored baseline or a rerun (auto), only stored, or always rerun. */
export const BASELINE_POLICIES = ['auto', 'stored', 'rerun'] as const;
export type BaselinePolicy = (typeof BASELINE_POLICIES)[number];

export interface NumberSetting {
  schema: z.ZodType<number>;
  /** What the setting accepts, for messages: "takes X" / "must be X". */
  expected: string;
}

export const SETTINGS = {
  concurrency: { schema: z.int().min(1), expected: 'a whole number of at least 1' },
  maxCostUsd: { schema: z.number().min(0), expected: 'a number of 0 or more' },
  canaryMinSamples: { schema: z.int().min(1), expected: 'a whole number of at least 1' },
} as const satisfies Record<string, NumberSetting>;

/** The number `text` holds when the setting accepts it, else undefined (the outlet words the refusal). */
export function parseSetting(setting: NumberSetting, text: string): number | undefined {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return undefined;
  return setting.schema.safeParse(n).success ? n : undefined;
}
