import * as z from 'zod';
import { SETTINGS } from '../settings.js';
import { METRIC_TYPES, metricKind, type MetricInput } from '../scorers/registry.js';
import { modelSchema, strict } from './fields.js';

// Zod schemas for every file a user writes. Unknown keys are errors (z.strictObject): a typo
// must not silently turn into a default.

const fraction = () => z.number().min(0).max(1);
const positiveInt = () => z.int().min(1);

/**
 * What one suite may plan (documented in the README): a run holds every sample of a suite in
 * memory, so these keep a typo such as `repeat: 1000000000` from taking the machine down.
 */
export const MAX_REPEAT = 1000;
export const MAX_SAMPLES_PER_SUITE = 1_000_000;

export const PROMPT_NAME = /^[a-z0-9][a-z0-9-]*$/;

export const gateRuleSchema = strict({
  max_drop: fraction().optional(),
  // SPEC 4: a significance level, `auto` (the default) or null (none).
  alpha: z
    .union([z.number().gt(0).lt(1), z.literal('auto')], { error: 'expected a number between 0 and 1, "auto" or null; change it' })
    .nullable()
    .optional(),
  min: fraction().optional(),
  max_error_rate: fraction().optional(),
});

const providerSchema = strict({
  type: z.enum(['openai', 'anthropic']).optional(),
  base_url: z.url({ error: 'expected a URL such as "http://localhost:11434/v1"' }).optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable, such as OLLAMA_KEY' })
    .optional(),
  concurrency: positiveInt().optional(),
  timeout_ms: positiveInt().optional(),
  max_retries: z.int().min(0).optional(),
});

export const configSchema = strict({
  prompts: z.array(z.string().min(1)).min(1).optional(),
  baselines: z.string().min(1).optional(),
  cache: z.string().min(1).optional(),
  releases: z.string().min(1).optional(),
  concurrency: positiveInt().optional(),
  providers: z.record(z.string(), providerSchema).optional(),
  pinning: strict({ allow: z.array(z.string().min(1)).optional() }).optional(),
  pricing: z.record(z.string(), strict({ input: z.number().min(0), output: z.number().min(0) })).optional(),
  budget: strict({ max_calls: positiveInt().optional(), max_cost_usd: SETTINGS.maxCostUsd.schema.optional() }).optional(),
  gate: gateRuleSchema.optional(),
});

export const promptSchema = strict({
  name: z.string().regex(PROMPT_NAME, {
    error: 'expected lowercase letters, digits and dashes, starting with a letter or digit (e.g. support-refund)',
  }),
  // YAML reads `version: 1.0` as a number; the loader keeps the text as written.
  version: z.union([z.string().min(1), z.number()], { error: 'expected a version such as "1.0.0"' }),
  description: z.string().optional(),
  model: modelSchema,
  messages: z
    .array(strict({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }))
    .min(1)
    .optional(),
  template: z.string().optional(),
  eval: z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
    error: 'expected a path to a suite file (relative to this prompt file) or an inline suite mapping',
  }),
});

const metricName = z.string().min(1);

// One object per metric type, from the metric registry; a type it does not list is named in the error.
const metricOptions = METRIC_TYPES.map((type) => strict({ name: metricName, type: z.literal(type), ...metricKind(type).kind.fields }));

export const metricSchema = z.discriminatedUnion('type', metricOptions as unknown as [(typeof metricOptions)[number]], {
  error: (iss) => {
    if (iss.code !== 'invalid_union') return undefined;
    const type = (iss.input as { type?: unknown } | undefined)?.type;
    const found = type === undefined ? 'no metric type' : `unknown metric type ${JSON.stringify(type)}`;
    return `${found}; expected one of ${METRIC_TYPES.join(', ')}; set type to one of them`;
  },
}) as unknown as z.ZodType<MetricInput>;

export const suiteSchema = strict({
  dataset: z.string().min(1).optional(),
  // Each case is checked by the dataset loader, which knows where it is written.
  cases: z.array(z.unknown()).optional(),
  repeat: positiveInt().max(MAX_REPEAT).optional(),
  metrics: z.array(metricSchema).min(1),
  gate: z.record(z.string(), gateRuleSchema).optional(),
});

export const caseSchema = strict({
  id: z.string().min(1).optional(),
  vars: z.record(z.string(), z.unknown()),
  expected: z.unknown().optional(),
  tags: z.array(z.string()).optional(),
});

export type ConfigInput = z.infer<typeof configSchema>;
export type { MetricInput };
