// An evaluation's samples are folded into columns as they are scored; reading one must give
// back the sample that was stored, whatever it holds, but the outputs nothing reads.
import { describe, expect, it } from 'vitest';
import { SampleList } from '../src/engine/evaluate/sample-list.js';
import type { Sample } from '../src/engine/types.js';

const sample = (overrides: Partial<Sample>): Sample => ({
  caseId: 'c1',
  sample: 0,
  output: 'an answer',
  error: undefined,
  missingKey: undefined,
  latencyMs: 12.345678,
  inputTokens: 120,
  outputTokens: 30,
  costUsd: 0.000123456789,
  cached: false,
  scores: { accuracy: 0.25, tone: 1 },
  reasons: undefined,
  ...overrides,
});

describe('SampleList', () => {
  const samples = [
    sample({}),
    sample({ caseId: 'c1', sample: 999, output: '', cached: true, latencyMs: 0, costUsd: 0 }),
    sample({ caseId: 'c5', sample: 3, output: 'kept: errored', error: 'tone: scorer threw' }),
    sample({
      caseId: 'c2',
      error: 'HTTP 500',
      scores: { accuracy: 0, tone: 0 },
      missingKey: { provider: 'openai', env: 'OPENAI_API_KEY' },
    }),
    sample({ caseId: 'c3', scores: { tone: 0.5 }, reasons: { tone: 'too curt "here"' } }),
    sample({ caseId: 'c4', output: '終わり\n<b>', scores: {}, inputTokens: 2 ** 40, outputTokens: 0 }),
  ];

  it('gives back each sample as stored, by position and in order', () => {
    const list = new SampleList(samples.length, ['accuracy', 'tone']);
    samples.forEach((s, i) => list.set(i, s));
    expect(list).toHaveLength(samples.length);
    samples.forEach((s, i) => expect(list.at(i)).toStrictEqual(s));
    expect([...list]).toStrictEqual(samples);
    expect(list.at(-1)).toBeUndefined();
    expect(list.at(samples.length)).toBeUndefined();
  });

  it('keeps the output of a case’s first sample and of an errored one; a later repeat’s reads back empty', () => {
    const repeats = [
      sample({ sample: 1, output: 'the second answer' }),
      sample({ sample: 2, output: 'answered, then a scorer failed', error: 'label: no label' }),
    ];
    const list = new SampleList(repeats.length, ['accuracy', 'tone']);
    repeats.forEach((s, i) => list.set(i, s));
    expect(list.at(0)).toStrictEqual({ ...repeats[0], output: '' });
    expect(list.at(1)).toStrictEqual(repeats[1]);
  });

  it('reads only the samples stored so far', () => {
    const list = new SampleList(3, ['accuracy', 'tone']);
    list.set(1, samples[2]!);
    expect(list.at(0)).toBeUndefined();
    expect([...list]).toStrictEqual([samples[2]]);
  });
});
