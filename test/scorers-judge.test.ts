import { describe, expect, it } from 'vitest';
import { metricSchema } from '../src/engine/files/schemas.js';
import { parseVerdict } from '../src/engine/scorers/judge.js';
import { createScorer } from '../src/engine/scorers/index.js';
import type { ChatRequest, ChatResponse, Metric } from '../src/engine/types.js';
import { aCase, deps } from './scorers-helpers.js';

const metric: Metric = {
  name: 'helpfulness',
  type: 'llm-judge',
  model: { provider: 'anthropic', name: 'claude-sonnet-4-6', params: { max_tokens: 200 } },
  rubric: 'Score 1 if the answer resolves the question politely, else 0.',
};

function reply(text: string): ChatResponse {
  return { text, inputTokens: 10, outputTokens: 5, latencyMs: 1, costUsd: 0, cached: false };
}

describe('llm-judge scorer', () => {
  it('asks the judge model with the rubric, the case and the output, and returns its verdict', async () => {
    const requests: ChatRequest[] = [];
    const scorer = await createScorer(
      metric,
      deps({
        judge: async (req) => {
          requests.push(req);
          return reply('{"score": 0.75, "reason": "polite but vague"}');
        },
      }),
    );
    const result = await scorer({ output: 'Yes, within 30 days.', case: aCase({ expected: 'Refunds within 30 days' }) });
    expect(result).toEqual({ score: 0.75, reason: 'polite but vague' });
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      params: { temperature: 0, max_tokens: 200 },
      sample: 0,
    });
    expect(req!.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req!.messages[0]!.content).toContain('<rubric>\nScore 1 if the answer resolves the question politely, else 0.\n</rubric>');
    expect(req!.messages[0]!.content).toContain('{"score": <number between 0 and 1>');
    expect(req!.messages[1]!.content).toBe(
      '<input>\nquestion: Can I get a refund?\n</input>\n<expected>\nRefunds within 30 days\n</expected>\n<output>\nYes, within 30 days.\n</output>',
    );
  });

  it('keeps a temperature the metric sets and leaves out <expected> when the case has none', async () => {
    const requests: ChatRequest[] = [];
    const scorer = await createScorer(
      { ...metric, model: { provider: 'openai', name: 'gpt-4o-2024-08-06', params: { temperature: 0.3 } } },
      deps({
        judge: async (req) => {
          requests.push(req);
          return reply('PASS');
        },
      }),
    );
    expect(await scorer({ output: 'ok', case: aCase() })).toEqual({ score: 1 });
    expect(requests[0]!.params).toEqual({ temperature: 0.3 });
    expect(requests[0]!.messages[1]!.content).not.toContain('<expected>');
  });

  it('turns an unreadable verdict into a sample error that quotes it', async () => {
    const scorer = await createScorer(metric, deps({ judge: async () => reply('I think it is fine overall.') }));
    await expect(scorer({ output: 'ok', case: aCase() })).rejects.toThrow('llm-judge verdict has no score: "I think it is fine overall."');
  });

  it('needs a model and a rubric', async () => {
    await expect(createScorer({ ...metric, model: undefined }, deps())).rejects.toThrow('needs a `model`');
    await expect(createScorer({ ...metric, rubric: undefined }, deps())).rejects.toThrow('needs a `rubric`');
    // A blank rubric is refused where suites are read, with the file and line.
    const blank = metricSchema.safeParse({
      name: 'polite',
      type: 'llm-judge',
      model: { provider: 'openai', name: 'gpt-4o-2024-11-20' },
      rubric: '  ',
    });
    expect(blank.success).toBe(false);
    expect(blank.error?.issues[0]?.path).toEqual(['rubric']);
  });
});

describe('parseVerdict', () => {
  it.each([
    ['{"score": 1, "reason": "good"}', { score: 1, reason: 'good' }],
    ['Here is my verdict:\n```json\n{"reason": "partly", "score": 0.5}\n```', { score: 0.5, reason: 'partly' }],
    ['Verdict: {"verdict": {"score": "0.25"}} done', { score: 0.25 }],
    ['{"note": "a {brace} in a string"} then {"score": true}', { score: 1 }],
    ['{"score": 7}', { score: 1 }],
    ['{"score": -2}', { score: 0 }],
    ['Reasoning...\nscore: 0.7', { score: 0.7 }],
    ['**Score**: 1', { score: 1 }],
    ['Score = .4 overall', { score: 0.4 }],
    ['0.9', { score: 0.9 }],
    [' 1.\n', { score: 1 }],
    ['PASS - resolves the question', { score: 1 }],
    ['fail', { score: 0 }],
    ['Yes.', { score: 1 }],
    ['**No**, it is rude.', { score: 0 }],
  ])('reads %j', (text, expected) => {
    expect(parseVerdict(text)).toEqual(expected);
  });

  it('quotes at most 200 characters of an unreadable verdict', () => {
    const text = `Hmm ${'x'.repeat(300)}`;
    expect(() => parseVerdict(text)).toThrow(`llm-judge verdict has no score: "${text.slice(0, 200)}"`);
    expect(() => parseVerdict('')).toThrow('llm-judge verdict has no score: ""');
    expect(() => parseVerdict('{"score": "high"}')).toThrow(/no score/);
  });
});
