// A prompt's report reads its evaluation by case position: sample i is repeat i % repeat of
// case floor(i / repeat). Its details must be each case's, in the order reviewers read them,
// and a run without a baseline must never index its cases by id (a map of every case).
import { describe, expect, it } from 'vitest';
import { caseIndex } from '../src/engine/evaluate/case-index.js';
import { buildPromptReport, rerunSide, storedSide } from '../src/engine/gate/prompt-report.js';
import type { BaselineFile, Case, CaseIndex, EvalResult, IndexedList, Prompt, Sample } from '../src/engine/types.js';

const cases: Case[] = ['a', 'b', 'c', 'd'].map((id, i) => ({
  id,
  vars: { q: `question ${id}` },
  expected: i,
  file: 'data/q.jsonl',
  line: i + 1,
}));
const prompt = {
  name: 'support',
  file: 'prompts/support.prompt.yaml',
  version: '1.1.0',
  model: { provider: 'openai', name: 'gpt-4o-mini-2024-07-18', params: { temperature: 0 } },
  suite: { file: 'evals/support.eval.yaml', repeat: 2, cases, metrics: [{ name: 'acc', type: 'contains' }], gate: {} },
} as unknown as Prompt;

function sample(caseId: string, n: number, acc: number): Sample {
  const output = n === 0 ? `answer to ${caseId}` : '';
  return { caseId, sample: n, output, latencyMs: 10, inputTokens: 1, outputTokens: 1, costUsd: 0, cached: false, scores: { acc } };
}

/** The evaluation of `prompt`, with its case index counting lookups by id. */
function evaluation(acc: Record<string, [number, number]>): { result: EvalResult; lookups: () => number } {
  const index = caseIndex(cases);
  let lookups = 0;
  const counted: CaseIndex = {
    length: index.length,
    at: (position) => index.at(position),
    position: (id) => (lookups++, index.position(id)),
  };
  const samples = cases.flatMap((c) => acc[c.id]!.map((score, n) => sample(c.id, n, score)));
  return {
    result: {
      prompt: 'support',
      version: '1.1.0',
      promptHash: 'sha256:x',
      model: 'gpt-4o-mini-2024-07-18',
      samples,
      cases: counted,
      repeat: 2,
    },
    lookups: () => lookups,
  };
}

const affected = { name: 'support', file: 'prompts/support.prompt.yaml', change: 'modified' as const };

describe('a prompt report', () => {
  it('makes each case’s detail from its position without a baseline, never looking a case up by id', () => {
    const { result, lookups } = evaluation({ a: [1, 0], b: [1, 1], c: [0, 0], d: [0, 1] });
    const report = buildPromptReport({ affected, prompt, gateDefaults: {}, candidate: result });
    expect([...report.details]).toEqual(
      cases.map((c, i) => ({
        id: c.id,
        vars: { q: `question ${c.id}` },
        expected: i,
        baseline_output: undefined,
        candidate_output: `answer to ${c.id}`,
        scores: { acc: [null, [0.5, 1, 0, 0.5][i]] },
        reasons: undefined,
        error: undefined,
        baseline_error: undefined,
      })),
    );
    expect(report.details).toHaveLength(4);
    expect(lookups()).toBe(0);
  });

  it('puts the regressed cases first (largest drop first), then the improved, then the rest in order', () => {
    const { result } = evaluation({ a: [1, 1], b: [0, 0], c: [0, 1], d: [0, 0] });
    const stored: BaselineFile = {
      schema: 'promptgate/baseline@1',
      name: 'support',
      version: '1.0.0',
      prompt_hash: 'sha256:y',
      suite_hash: 'sha256:z',
      model: 'gpt-4o-mini-2024-07-18',
      created_at: '2026-11-30T00:00:00.000Z',
      tool_version: '1.0.0',
      repeat: 2,
      metrics: { acc: { mean: 0.5, n: 8 } },
      cases: { a: { acc: 0 }, b: { acc: 0.5 }, c: { acc: 1 }, d: { acc: 0 } },
      outputs: { a: 'production said a', c: 'production said c' },
    };
    const report = buildPromptReport({ affected, prompt, gateDefaults: {}, candidate: result, baseline: storedSide(stored) });
    expect(report.cases).toMatchObject({ regressed: ['b', 'c'], improved: ['a'] });
    const details = [...report.details];
    expect(details.map((d) => d.id)).toEqual(['b', 'c', 'a', 'd']);
    expect(details.map((d) => [d.baseline_output, d.candidate_output, d.scores])).toEqual([
      [undefined, 'answer to b', { acc: [0.5, 0] }],
      ['production said c', 'answer to c', { acc: [1, 0.5] }],
      ['production said a', 'answer to a', { acc: [0, 1] }],
      [undefined, 'answer to d', { acc: [0, 0] }],
    ]);
  });

  it('reads each side’s samples twice (its score table, then every other figure) before the details', () => {
    /** `samples` as a list that counts the samples read from it, as an evaluation's SampleList makes one per read. */
    const counting = (samples: Sample[]) => {
      let reads = 0;
      const list: IndexedList<Sample> = {
        length: samples.length,
        at: (i) => (reads++, samples[i]),
        *[Symbol.iterator]() {
          for (const s of samples) yield (reads++, s);
        },
      };
      return { list, reads: () => reads };
    };
    const side = (acc: Record<string, [number, number]>, edit: (s: Sample) => Sample) => {
      const { result } = evaluation(acc);
      const samples = counting([...result.samples].map(edit));
      return { result: { ...result, samples: samples.list }, reads: samples.reads };
    };
    const cand = side({ a: [1, 1], b: [1, 0], c: [0, 0], d: [1, 1] }, (s) =>
      s.caseId === 'c' && s.sample === 1
        ? { ...s, error: 'openai: no API key', missingKey: { provider: 'openai', env: 'OPENAI_API_KEY' } }
        : s.caseId === 'd'
          ? { ...s, cached: true, latencyMs: 1, costUsd: 0.5 }
          : { ...s, latencyMs: s.caseId === 'a' ? 30 : 20, costUsd: 0.25 },
    );
    // Calls: the candidate's 8 samples but 2 cached and 1 refused; the base's 8 but 1 errored without an answer.
    const base = side({ a: [1, 1], b: [1, 1], c: [1, 1], d: [1, 1] }, (s) => (s.caseId === 'b' ? { ...s, error: 'timed out' } : s));
    const report = buildPromptReport({
      affected,
      prompt,
      gateDefaults: { max_error_rate: 0.5 },
      candidate: cand.result,
      baseline: rerunSide(base.result, prompt),
    });
    expect(cand.reads()).toBe(2 * 8);
    expect(base.reads()).toBe(2 * 8);
    expect(report).toMatchObject({
      usage: { calls: 12, cached: 2, input_tokens: 16, output_tokens: 16, cost_usd: 2.25 },
      latency_ms: { p50: 20, p95: 30 },
      error_rate: 1 / 8,
      base_error_rate: 2 / 8,
      cases: { errored: ['c'], base_errored: ['b'], excluded: ['c', 'b'] },
      missing_keys: [{ provider: 'openai', env: 'OPENAI_API_KEY' }],
    });
    expect(report.error).toMatch(/^no API key for provider 'openai' \(OPENAI_API_KEY is not set\): 3 samples could not be evaluated/);
  });
});
