import { describe, expect, it } from 'vitest';
import { UserError } from '../src/engine/errors.js';
import { createScorer, type ScorerDeps } from '../src/engine/scorers/index.js';
import type { Case, Metric, MetricType } from '../src/engine/types.js';
import { aCase, deps, memorySource, renderValue } from './scorers-helpers.js';

async function score(type: MetricType, value: string | number | undefined, output: string, c: Case = aCase(), extra: Partial<Metric> = {}) {
  const scorer = await createScorer({ name: 'm', type, ...(value === undefined ? {} : { value }), ...extra }, deps());
  return (await scorer({ output, case: c })).score;
}

describe('text scorers', () => {
  it.each<[MetricType, string | number, string, number]>([
    ['equals', 'Paris', '  Paris \n', 1],
    ['equals', 'Paris', 'paris', 0],
    ['equals', '', '', 1],
    ['contains', 'refund', 'We will refund you.', 1],
    ['contains', 'Refund', 'We will refund you.', 0],
    ['icontains', 'REFUND', 'We will refund you.', 1],
    ['icontains', 'return', 'We will refund you.', 0],
    ['icontains', 'x', '', 0],
    ['not-contains', 'sorry', 'Here you go.', 1],
    ['not-contains', 'sorry', 'I am sorry.', 0],
    ['starts-with', 'Dear', '\n Dear customer', 1],
    ['starts-with', 'Dear', 'Hello, Dear', 0],
    ['regex', '^\\d{3}-\\d{4}$', '555-1234', 1],
    ['regex', '^\\d{3}-\\d{4}$', 'call 555-1234', 0],
    ['regex', '(?i)we will refund', 'WE WILL REFUND it', 1],
    ['regex', 'we will refund', 'WE WILL REFUND it', 0],
    ['not-regex', '(?i)we will refund', 'We Will Refund you', 0],
    ['not-regex', '(?i)we will refund', 'We cannot refund', 1],
    ['not-regex', 'anything', '', 1],
    ['max-length', 5, 'hello', 1],
    ['max-length', '5', 'hello!', 0],
    ['max-length', 2, '👍👍', 1],
    ['max-length', 0, '', 1],
  ])('%s %j on %j scores %d', async (type, value, output, expected) => {
    expect(await score(type, value, output)).toBe(expected);
  });

  it('renders a templated value per case with expected', async () => {
    const scorer = await createScorer({ name: 'accuracy', type: 'icontains', value: '{{ expected }}' }, deps());
    expect(await scorer({ output: 'The answer is PARIS.', case: aCase({ expected: 'Paris' }) })).toEqual({ score: 1 });
    expect(await scorer({ output: 'The answer is PARIS.', case: aCase({ expected: 'Rome' }) })).toEqual({ score: 0 });
  });

  it('renders once per call only when the value is a template', async () => {
    let renders = 0;
    const counting: ScorerDeps['renderValue'] = (t, c, m) => {
      renders++;
      return renderValue(t, c, m);
    };
    const plain = await createScorer({ name: 'm', type: 'contains', value: 'Paris' }, deps({ renderValue: counting }));
    await plain({ output: 'Paris', case: aCase() });
    expect(renders).toBe(0);
    const templated = await createScorer({ name: 'm', type: 'regex', value: '(?i)^{{ expected }}$' }, deps({ renderValue: counting }));
    expect(await templated({ output: 'paris', case: aCase({ expected: 'Paris' }) })).toEqual({ score: 1 });
    expect(await templated({ output: 'paris', case: aCase({ expected: 'Rome' }) })).toEqual({ score: 0 });
    expect(renders).toBe(2);
  });

  it('rejects a missing value, an invalid static regex and a non-numeric max-length when created', async () => {
    await expect(createScorer({ name: 'm', type: 'contains' }, deps())).rejects.toThrow('metric "m" (contains) needs a `value`');
    await expect(createScorer({ name: 'm', type: 'regex', value: '(unclosed' }, deps())).rejects.toThrow(UserError);
    await expect(createScorer({ name: 'm', type: 'max-length', value: 'ten' }, deps())).rejects.toThrow(
      'metric "m" (max-length) needs a non-negative number as `value`, got "ten"',
    );
  });

  it('fails the sample when a rendered regex is invalid', async () => {
    const scorer = await createScorer({ name: 'm', type: 'regex', value: '{{ expected }}' }, deps());
    await expect(scorer({ output: 'x', case: aCase({ expected: '(' }) })).rejects.toThrow(/invalid regular expression/);
  });
});

describe('json scorers', () => {
  const schema = JSON.stringify({
    type: 'object',
    required: ['refund', 'email'],
    properties: { refund: { type: 'boolean' }, email: { type: 'string', format: 'email' } },
    additionalProperties: false,
  });
  const source = memorySource({ 'schemas/refund.json': schema });

  it('is-json accepts JSON, fenced JSON, and rejects prose and empty output', async () => {
    expect(await score('is-json', undefined, '{"a": 1}')).toBe(1);
    expect(await score('is-json', undefined, '  [1, 2]\n')).toBe(1);
    expect(await score('is-json', undefined, '```json\n{"a": 1}\n```')).toBe(1);
    expect(await score('is-json', undefined, '```\n{"a": 1}\n```')).toBe(1);
    expect(await score('is-json', undefined, 'Sure! {"a": 1}')).toBe(0);
    expect(await score('is-json', undefined, '')).toBe(0);
  });

  it('json-schema validates with formats, fenced or not, and says why it failed', async () => {
    const scorer = await createScorer({ name: 'format', type: 'json-schema', schema: 'schemas/refund.json' }, deps({ source }));
    const run = (output: string) => scorer({ output, case: aCase() });
    expect(await run('{"refund": true, "email": "a@example.com"}')).toEqual({ score: 1 });
    expect(await run('```json\n{"refund": false, "email": "a@example.com"}\n```')).toEqual({ score: 1 });
    expect(await run('{"refund": "yes", "email": "not-an-email"}')).toEqual({
      score: 0,
      reason: '/refund must be boolean; /email must match format "email"',
    });
    expect(await run('{"refund": true}')).toEqual({ score: 0, reason: "/ must have required property 'email'" });
    expect(await run('')).toEqual({ score: 0, reason: 'output is not JSON' });
  });

  it('json-schema supports draft 2020-12 schemas', async () => {
    const s2020 = JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'number' }],
    });
    const scorer = await createScorer(
      { name: 'format', type: 'json-schema', schema: 's.json' },
      deps({ source: memorySource({ 's.json': s2020 }) }),
    );
    expect((await scorer({ output: '[1, "x"]', case: aCase() })).score).toBe(1);
    expect((await scorer({ output: '["x"]', case: aCase() })).score).toBe(0);
  });

  it('reports a missing, unparsable or invalid schema as a user error at creation', async () => {
    const make = (files: Record<string, string>) =>
      createScorer({ name: 'format', type: 'json-schema', schema: 's.json' }, deps({ source: memorySource(files) }));
    await expect(make({})).rejects.toThrow('schema file s.json does not exist in the test tree');
    await expect(make({ 's.json': '{ nope' })).rejects.toThrow(/schema file s.json is not valid JSON/);
    await expect(make({ 's.json': '{"type": "no-such-type"}' })).rejects.toThrow(/is not a valid JSON Schema/);
    await expect(make({ 's.json': '{"type": "no-such-type"}' })).rejects.toBeInstanceOf(UserError);
  });
});

describe('refusal scorers', () => {
  it.each([
    ["I can't help with that request.", 1],
    ['I’m sorry, but I can’t share that.', 1],
    ['As an AI language model, I do not have opinions.', 1],
    ['Sure. I CANNOT ASSIST with refunds older than a year, but here is what I can do.', 1],
    ['Your refund was approved and will arrive in 5 days.', 0],
    ['', 0],
    [`${'Here are the steps to request a refund. '.repeat(10)}I am unable to process it myself.`, 0],
  ])('refusal on %j scores %d', async (output, expected) => {
    expect(await score('refusal', undefined, output)).toBe(expected);
    expect(await score('not-refusal', undefined, output)).toBe(1 - expected);
  });
});
