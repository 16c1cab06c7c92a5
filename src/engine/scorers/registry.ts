// The metric types (SPEC 3), one entry each: the keys its YAML takes and the scorer it builds.
// The suite schema, the list of types in messages and the `not-` variants all derive from
// this table; a negatable type gets `not-<type>`, scored 1 - its score.
import * as z from 'zod';
import { lengthValue, modelSchema, regexValue, textValue } from '../files/fields.js';
import { UserError } from '../errors.js';
import type { Metric } from '../types.js';
import type { Scorer, ScorerDeps } from './index.js';
import { isJsonScorer, jsonSchemaScorer } from './json.js';
import { createJudgeScorer } from './judge.js';
import { refusalScorer } from './refusal.js';
import { createScriptScorer } from './script.js';
import { SCRIPT_LIMIT_BOUNDS } from './script-sandbox.js';
import { maxLengthScorer, regexScorer, textScorer } from './text.js';
import { describeMetric } from './value.js';

interface MetricKind {
  /** The keys beside `name` and `type`. */
  fields: z.ZodRawShape;
  /** Called with every required field present (createScorer checks them, here and only here). */
  create(metric: Metric, deps: ScorerDeps): Scorer | Promise<Scorer>;
  negatable?: true;
}

const path = z.string().min(1);

export const METRIC_KINDS = {
  equals: { fields: { value: textValue }, create: textScorer((output, value) => output.trim() === value.trim()) },
  contains: { fields: { value: textValue }, create: textScorer((output, value) => output.includes(value)), negatable: true },
  icontains: { fields: { value: textValue }, create: textScorer((output, value) => output.toLowerCase().includes(value.toLowerCase())) },
  // Leading whitespace is formatting noise that models emit freely; the value is taken literally.
  'starts-with': { fields: { value: textValue }, create: textScorer((output, value) => output.trimStart().startsWith(value)) },
  regex: { fields: { value: regexValue }, create: regexScorer, negatable: true },
  'max-length': { fields: { value: lengthValue }, create: maxLengthScorer },
  'is-json': { fields: {}, create: isJsonScorer },
  'json-schema': { fields: { schema: path }, create: jsonSchemaScorer },
  refusal: { fields: {}, create: refusalScorer, negatable: true },
  'llm-judge': {
    fields: {
      model: modelSchema,
      rubric: z.string().refine((text) => text.trim() !== '', { error: 'expected a rubric saying what a good output is' }),
    },
    create: createJudgeScorer,
  },
  script: {
    fields: {
      path,
      timeout_ms: z.int().min(1).max(SCRIPT_LIMIT_BOUNDS.maxTimeoutMs).optional(),
      memory_mb: z.int().min(SCRIPT_LIMIT_BOUNDS.minMemoryMb).max(SCRIPT_LIMIT_BOUNDS.maxMemoryMb).optional(),
    },
    create: createScriptScorer,
  },
} as const satisfies Record<string, MetricKind>;

type Kinds = typeof METRIC_KINDS;
type KindName = keyof Kinds;
type Negatable = { [K in KindName]: Kinds[K] extends { negatable: true } ? K : never }[KindName];
export type MetricType = KindName | `not-${Negatable}`;

/** A metric as its suite writes it (the keys its type takes), for the loader. */
export type MetricInput = {
  [K in KindName]: { name: string; type: K | (K extends Negatable ? `not-${K}` : never) } & z.output<z.ZodObject<Kinds[K]['fields']>>;
}[KindName];

const NEGATED = 'not-';

/** Every metric type, in the order the table lists them, each `not-` variant after its type. */
export const METRIC_TYPES: readonly MetricType[] = (Object.entries(METRIC_KINDS) as [KindName, MetricKind][]).flatMap(([name, kind]) =>
  kind.negatable ? [name, `${NEGATED}${name}` as MetricType] : [name],
);

/** The table entry behind a type, and whether the type is its `not-` variant. */
export function metricKind(type: MetricType): { kind: MetricKind; negated: boolean } {
  const negated = type.startsWith(NEGATED) && !(type in METRIC_KINDS);
  const kind: MetricKind = METRIC_KINDS[(negated ? type.slice(NEGATED.length) : type) as KindName];
  return { kind, negated };
}

/** Builds the scorer for one metric; static work (schemas, regexes, script modules) happens once, here. */
export async function createScorer(metric: Metric, deps: ScorerDeps): Promise<Scorer> {
  const { kind, negated } = metricKind(metric.type);
  requireFields(metric, kind);
  const scorer = await kind.create(metric, deps);
  if (!negated) return scorer;
  const inverse: Scorer = async (input) => {
    const { score, reason } = await scorer(input);
    return reason === undefined ? { score: 1 - score } : { score: 1 - score, reason };
  };
  if (scorer.close) inverse.close = scorer.close;
  return inverse;
}

/** The loader guarantees the fields its schema requires; a metric built by hand (a test, a bug) is told which one it lacks. */
function requireFields(metric: Metric, kind: MetricKind): void {
  for (const [key, schema] of Object.entries(kind.fields) as [string, z.ZodType][]) {
    const value = (metric as unknown as Record<string, unknown>)[key];
    if (value === undefined && !schema.safeParse(undefined).success) {
      throw new UserError(`${describeMetric(metric)} needs a \`${key}\`.`);
    }
  }
}
