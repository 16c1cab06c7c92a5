import type { ValidateFunction } from 'ajv';
import { UserError } from '../errors.js';
import type { Metric } from '../types.js';
import type { Scorer, ScorerDeps } from './index.js';
import { describeMetric } from './value.js';

const FENCE = /^```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** The output parsed as JSON (also inside one ```json fence), or undefined when it is not JSON. */
export function parseJsonOutput(output: string): { value: unknown } | undefined {
  const trimmed = output.trim();
  const body = FENCE.exec(trimmed)?.[1] ?? trimmed;
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
}

/** is-json: the output parses as JSON. */
export function isJsonScorer(): Scorer {
  return jsonScorer(undefined);
}

/** json-schema: the output is JSON that the schema accepts. The schema is read and compiled once per metric. */
export async function jsonSchemaScorer(metric: Metric & Required<Pick<Metric, 'schema'>>, deps: ScorerDeps): Promise<Scorer> {
  return jsonScorer(await compileSchema(metric, deps));
}

function jsonScorer(validate: ValidateFunction | undefined): Scorer {
  return async ({ output }) => {
    const parsed = parseJsonOutput(output);
    if (!parsed) return { score: 0, reason: 'output is not JSON' };
    if (!validate || validate(parsed.value)) return { score: 1 };
    return { score: 0, reason: errorsText(validate) };
  };
}

async function compileSchema(metric: Metric & Required<Pick<Metric, 'schema'>>, deps: ScorerDeps): Promise<ValidateFunction> {
  const text = deps.source.read(metric.schema);
  if (text === undefined) {
    throw new UserError(`${describeMetric(metric)}: schema file ${metric.schema} does not exist in the ${deps.source.label}.`, {
      file: metric.schema,
    });
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${describeMetric(metric)}: schema file ${metric.schema} is not valid JSON (${(err as Error).message}).`, {
      file: metric.schema,
    });
  }
  if (typeof schema !== 'object' && typeof schema !== 'boolean') {
    throw new UserError(`${describeMetric(metric)}: schema file ${metric.schema} must hold a JSON Schema object.`, { file: metric.schema });
  }
  const { compileJsonSchema } = await import('./json-schema-validator.js');
  try {
    return compileJsonSchema(schema as object | boolean);
  } catch (err) {
    throw new UserError(`${describeMetric(metric)}: schema file ${metric.schema} is not a valid JSON Schema: ${(err as Error).message}`, {
      file: metric.schema,
    });
  }
}

function errorsText(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
