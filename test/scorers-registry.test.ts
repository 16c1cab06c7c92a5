// The metric registry is the one list of metric types: the suite schema accepts exactly its
// types, and each `not-` variant scores the inverse of its type on the same output.
import { describe, expect, it } from 'vitest';
import { metricSchema } from '../src/engine/files/schemas.js';
import { METRIC_KINDS, METRIC_TYPES, createScorer } from '../src/engine/scorers/registry.js';
import type { MetricType } from '../src/engine/types.js';
import { aCase, deps } from './scorers-helpers.js';

const NEGATABLE = Object.entries(METRIC_KINDS)
  .filter(([, kind]) => 'negatable' in kind)
  .map(([name]) => name);

describe('the metric registry', () => {
  it('derives one not- variant per negatable type, listed right after it', () => {
    expect(NEGATABLE).toEqual(['contains', 'regex', 'refusal']);
    for (const name of NEGATABLE) expect(METRIC_TYPES[METRIC_TYPES.indexOf(name as MetricType) + 1]).toBe(`not-${name}`);
    expect(METRIC_TYPES).toHaveLength(Object.keys(METRIC_KINDS).length + NEGATABLE.length);
  });

  it('is what the suite schema accepts, and nothing else', () => {
    const fields: Record<string, Record<string, unknown>> = {
      'json-schema': { schema: 'schemas/x.json' },
      'llm-judge': { model: { provider: 'openai', name: 'gpt-4o-2024-11-20' }, rubric: 'Polite?' },
      script: { path: 'scorers/x.mjs' },
      'max-length': { value: 10 },
    };
    for (const type of METRIC_TYPES) {
      const extra = fields[type] ?? (['is-json', 'refusal', 'not-refusal'].includes(type) ? {} : { value: 'x' });
      expect(metricSchema.safeParse({ name: 'm', type, ...extra }).success, type).toBe(true);
    }
    const unknown = metricSchema.safeParse({ name: 'm', type: 'not-equals', value: 'x' });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.message).toContain(`expected one of ${METRIC_TYPES.join(', ')}`);
  });

  it.each([
    ['contains', 'refund', ['We will refund you.', 'No.']],
    ['regex', '^\\d+$', ['123', 'abc']],
    ['refusal', undefined, ["I can't help with that.", 'Sure, here it is.']],
  ] as const)('not-%s scores 1 - %s on every output', async (type, value, outputs) => {
    const metric = (t: string) => ({ name: 'm', type: t as MetricType, ...(value === undefined ? {} : { value }) });
    const plain = await createScorer(metric(type), deps());
    const negated = await createScorer(metric(`not-${type}`), deps());
    for (const output of outputs) {
      const [a, b] = await Promise.all([plain({ output, case: aCase() }), negated({ output, case: aCase() })]);
      expect(a.score + b.score).toBe(1);
    }
    const scores = await Promise.all(outputs.map(async (output) => (await plain({ output, case: aCase() })).score));
    expect(scores).toEqual([1, 0]);
  });
});
