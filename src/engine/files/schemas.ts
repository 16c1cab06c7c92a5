import { z } from 'zod';
import { SETTINGS } from '../settings.js';
import { compileRegex } from '../scorers/regex.js';
import type { MetricType } from '../types.js';

// Zod schemas for every file a user writes. Unknown keys are errors (z.strictObject): a typo
// must not silently turn into a default.

/** An object whose unknown-key issue lists the allowed keys (see issues.ts). */
function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `expected one of: ${allowed}` : undefined),
  });
}

/** Nunjucks syntax: such a value is only checked once rendered. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

const fraction = () => z.number().min(0).max(1);
const positiveInt = () => z.int().min(1);

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

/** `{provider, name, ...params}`: every other key is an API parameter. */
export const modelSchema = z.looseObject({ provider: z.string().min(1), name: z.string().min(1) });

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

const TEXT_TYPES = ['equals', 'contains', 'icontains', 'not-contains', 'starts-with'] as const;
const REGEX_TYPES = ['regex', 'not-regex'] as const;
const PLAIN_TYPES = ['is-json', 'refusal', 'not-refusal'] as const;

export const METRIC_TYPES: readonly MetricType[] = [
  ...TEXT_TYPES,
  ...REGEX_TYPES,
  ...PLAIN_TYPES,
  'json-schema',
  'max-length',
  'llm-judge',
  'script',
];

const TEXT_VALUE_ERROR = 'expected a text (nunjucks allowed, e.g. "{{ expected }}")';
const textValue = z.union([z.string(), z.number(), z.boolean()], { error: TEXT_VALUE_ERROR }).transform(String);

const regexValue = z.string({ error: TEXT_VALUE_ERROR }).superRefine((pattern, ctx) => {
  if (isTemplate(pattern)) return;
  try {
    compileRegex(pattern);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${(err as Error).message}; fix the pattern` });
  }
});

const lengthValue = z
  .union([z.int().min(0), z.string()], { error: 'expected a whole number of characters' })
  .refine((v) => typeof v === 'number' || /^\s*\d+\s*$/.test(v) || isTemplate(v), {
    error: 'expected a whole number of characters (or a nunjucks expression that renders one)',
  })
  .transform((v) => (typeof v === 'string' && !isTemplate(v) ? Number(v) : v));

const metricName = z.string().min(1);

export const metricSchema = z.discriminatedUnion(
  'type',
  [
    strict({ name: metricName, type: z.enum(TEXT_TYPES), value: textValue }),
    strict({ name: metricName, type: z.enum(REGEX_TYPES), value: regexValue }),
    strict({ name: metricName, type: z.enum(PLAIN_TYPES) }),
    strict({ name: metricName, type: z.literal('max-length'), value: lengthValue }),
    strict({ name: metricName, type: z.literal('json-schema'), schema: z.string().min(1) }),
    strict({ name: metricName, type: z.literal('script'), path: z.string().min(1) }),
    strict({ name: metricName, type: z.literal('llm-judge'), model: modelSchema, rubric: z.string().min(1) }),
  ],
  {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const type = (iss.input as { type?: unknown } | undefined)?.type;
      const found = type === undefined ? 'no metric type' : `unknown metric type ${JSON.stringify(type)}`;
      return `${found}; expected one of ${METRIC_TYPES.join(', ')}; set type to one of them`;
    },
  },
);

export const suiteSchema = strict({
  dataset: z.string().min(1).optional(),
  // Each case is checked by the dataset loader, which knows where it is written.
  cases: z.array(z.unknown()).optional(),
  repeat: positiveInt().optional(),
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
export type MetricInput = z.infer<typeof metricSchema>;
