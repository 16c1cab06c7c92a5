// An evaluation's samples are folded into columns as they are scored; reading one must give
// back the sample that was stored, whatever it holds, but the outputs nothing reads.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { OutputStore } from '../src/engine/evaluate/output-store.js';
import { SampleList } from '../src/engine/evaluate/sample-list.js';
import type { Case, Sample } from '../src/engine/types.js';
import { ownTmpdir } from './helpers/own-tmpdir.js';

ownTmpdir();

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

/** A list for `samples` at repeat 1: its cases are theirs, one a sample, in order. */
const listOf = (samples: Sample[], store?: OutputStore) =>
  new SampleList(
    samples.map((s): Case => ({ id: s.caseId, vars: {}, file: 'data/q.jsonl' })),
    1,
    ['accuracy', 'tone'],
    store,
  );

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
    const list = listOf(samples);
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
    const list = listOf(repeats);
    repeats.forEach((s, i) => list.set(i, s));
    expect(list.at(0)).toStrictEqual({ ...repeats[0], output: '' });
    expect(list.at(1)).toStrictEqual(repeats[1]);
  });

  it('gives back the outputs a store put in its temporary file, and those it kept in memory', () => {
    // Short ones share a 64 KiB read block; every tenth is longer than a block.
    const output = (i: number) => (i % 7 === 3 ? '' : `answer ${i}: ${'é👋 '.repeat(i % 10 === 9 ? 20_000 : i * 3)}`);
    const answers = Array.from({ length: 60 }, (_, i) => sample({ caseId: `c${i}`, output: output(i) }));
    for (const memoryChars of [0, 50_000, Infinity]) {
      const store = new OutputStore(memoryChars);
      // Two lists of one run share the store, and reads come between writes: the block read
      // at the end of the file must not be taken for what is written after it.
      const first = listOf(answers.slice(0, 30), store);
      const second = listOf(answers.slice(30), store);
      answers.slice(0, 30).forEach((s, i) => {
        first.set(i, s);
        expect(first.at(i)).toStrictEqual(s);
      });
      answers.slice(30).forEach((s, i) => second.set(i, s));
      expect([...first, ...second]).toStrictEqual(answers);
      for (let i = 29; i >= 0; i--) expect(second.at(i)?.output).toBe(answers[30 + i]!.output);
    }
  });

  it('keeps every output in memory when no temporary file can be written', () => {
    const tmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(tmpdir(), 'promptgate-no-such-dir', 'deeper');
    try {
      const list = listOf(samples, new OutputStore(0));
      samples.forEach((s, i) => list.set(i, s));
      expect([...list]).toStrictEqual(samples);
    } finally {
      if (tmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = tmp;
    }
  });

  it('reads only the samples stored so far', () => {
    const list = listOf([samples[0]!, samples[2]!, samples[3]!]);
    list.set(1, samples[2]!);
    expect(list.at(0)).toBeUndefined();
    expect([...list]).toStrictEqual([samples[2]]);
  });

  it('reads each sample’s case from the case list: sample i is of case floor(i / repeat)', () => {
    const cases = ['a', 'b'].map((id): Case => ({ id, vars: {}, file: 'data/q.jsonl' }));
    const list = new SampleList(cases, 3, ['accuracy', 'tone']);
    expect(list).toHaveLength(6);
    for (let i = 0; i < 6; i++) list.set(i, sample({ caseId: cases[Math.floor(i / 3)]!.id, sample: i % 3 }));
    expect([...list].map((s) => [s.caseId, s.sample])).toEqual([
      ['a', 0],
      ['a', 1],
      ['a', 2],
      ['b', 0],
      ['b', 1],
      ['b', 2],
    ]);
  });
});
