import type { Price } from '../types.js';

/**
 * Published list prices, USD per 1M tokens (standard tier, no batch or cache discounts,
 * no long-context surcharge). A `pricing:` entry in promptgate.yaml overrides any of these.
 */
export const BUILTIN_PRICES: Record<string, Price> = {
  // OpenAI
  'gpt-5-2025-08-07': { input: 1.25, output: 10 },
  'gpt-5-mini-2025-08-07': { input: 0.25, output: 2 },
  'gpt-5-nano-2025-08-07': { input: 0.05, output: 0.4 },
  'gpt-4.1-2025-04-14': { input: 2, output: 8 },
  'gpt-4.1-mini-2025-04-14': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano-2025-04-14': { input: 0.1, output: 0.4 },
  'gpt-4o-2024-11-20': { input: 2.5, output: 10 },
  'gpt-4o-2024-08-06': { input: 2.5, output: 10 },
  'gpt-4o-2024-05-13': { input: 5, output: 15 },
  'gpt-4o-mini-2024-07-18': { input: 0.15, output: 0.6 },
  'gpt-3.5-turbo-0125': { input: 0.5, output: 1.5 },
  'o1-2024-12-17': { input: 15, output: 60 },
  'o3-2025-04-16': { input: 2, output: 8 },
  'o3-mini-2025-01-31': { input: 1.1, output: 4.4 },
  'o4-mini-2025-04-16': { input: 1.1, output: 4.4 },
  // Anthropic
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-opus-4-5-20251101': { input: 5, output: 25 },
  'claude-haiku-4-5-20251001': { input: 1, output: 5 },
  'claude-sonnet-4-5-20250929': { input: 3, output: 15 },
  'claude-opus-4-1-20250805': { input: 15, output: 75 },
  'claude-opus-4-20250514': { input: 15, output: 75 },
  'claude-sonnet-4-20250514': { input: 3, output: 15 },
  'claude-3-7-sonnet-20250219': { input: 3, output: 15 },
  'claude-3-5-sonnet-20241022': { input: 3, output: 15 },
  'claude-3-5-haiku-20241022': { input: 0.8, output: 4 },
  'claude-3-haiku-20240307': { input: 0.25, output: 1.25 },
};

/** Cost in USD of one response. Config pricing wins over the built-in table; an unknown model costs 0. */
export function costOf(model: string, inputTokens: number, outputTokens: number, pricing: Record<string, Price>): number {
  // hasOwn: a model named like an Object.prototype key must not find a "price" there.
  const price = Object.hasOwn(pricing, model) ? pricing[model] : Object.hasOwn(BUILTIN_PRICES, model) ? BUILTIN_PRICES[model] : undefined;
  if (!price) return 0;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
