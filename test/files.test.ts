import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG_PATH, loadConfig, loadProject } from '../src/engine/files/project.js';
import { WorkTree } from '../src/engine/git/source.js';
import type { PromptSource } from '../src/engine/artifact/artifact.js';
import { caseFields } from './helpers/case-fields.js';

const example = new WorkTree('fixtures/example');

/** A loaded prompt as its files describe it; its artifact is tested in template.test.ts and registry-archive.test.ts. */
function byName(name: string): PromptSource {
  const prompt = loadProject(example).prompts.find((p) => p.name === name);
  if (!prompt) throw new Error(`no prompt ${name}`);
  const { artifact: _artifact, ...source } = prompt;
  return source;
}

describe('fixtures/example', () => {
  test('loads every prompt without findings', () => {
    const project = loadProject(example);
    expect(project.findings).toEqual([]);
    expect(project.brokenFiles).toEqual([]);
    expect(project.prompts.map((p) => [p.name, p.file])).toEqual([
      ['intent-classifier', 'prompts/intent-classifier.prompt.yaml'],
      ['support-refund', 'prompts/support-refund.prompt.yaml'],
      ['ticket-summary', 'prompts/ticket-summary.prompt.yaml'],
    ]);
  });

  test('config: file values over the defaults', () => {
    expect(DEFAULT_CONFIG_PATH).toBe('promptgate.yaml');
    expect(loadConfig(example)).toEqual({
      config: {
        file: 'promptgate.yaml',
        prompts: ['prompts/**/*.prompt.yaml'],
        baselines: '.promptgate/baselines',
        cache: '.promptgate/cache',
        releases: '.promptgate/releases.yaml',
        concurrency: 4,
        providers: { openai: { type: 'openai' }, anthropic: { type: 'anthropic' } },
        pinning: { allow: [] },
        pricing: {},
        budget: {},
        gate: { max_drop: 0.05, alpha: 'auto', max_error_rate: 0 },
      },
      findings: [],
    });
  });

  test('support-refund: messages, model params, suite and cases', () => {
    const prompt = byName('support-refund');
    const { suite, ...rest } = prompt;
    expect(rest).toEqual({
      file: 'prompts/support-refund.prompt.yaml',
      name: 'support-refund',
      version: '2.1.0',
      description: 'Answers refund questions without promising refunds.',
      model: {
        provider: 'openai',
        name: 'gpt-4o-2024-11-20',
        params: { temperature: 0, max_tokens: 300 },
        line: 6,
        file: 'prompts/support-refund.prompt.yaml',
      },
      messages: [
        {
          role: 'system',
          content: '{% include "partials/tone.njk" %}\nYou are a support agent for {{ company_name }}.\n',
          line: 12,
        },
        { role: 'user', content: '{{ question }}', line: 15 },
      ],
      lines: { name: 1, version: 2, description: 3, model: 4, messages: 9, eval: 16 },
      suiteFile: 'evals/support-refund.eval.yaml',
    });
    expect(suite.file).toBe('evals/support-refund.eval.yaml');
    expect(suite.dataset).toBe('data/support-refund.jsonl');
    expect(suite.repeat).toBe(1);
    expect(suite.metrics).toEqual([
      { name: 'accuracy', type: 'icontains', value: '{{ expected }}', line: 4 },
      { name: 'no_refund_promise', type: 'not-regex', value: '(?i)we will refund|you will (get|receive) a refund', line: 7 },
      { name: 'answers', type: 'not-refusal', line: 10 },
    ]);
    expect(suite.gate).toEqual({ accuracy: { max_drop: 0.02, min: 0.8 } });
    expect([...suite.cases].map((c) => c.id)).toEqual([
      'refund-window',
      'damaged-item',
      'sale-item',
      'late-return',
      'gift-return',
      'refund-timing',
      'shipping-cost',
      'angry-customer',
      'partial-order',
      'worn-item',
    ]);
    expect(caseFields(suite.cases.at(1))).toEqual({
      id: 'damaged-item',
      vars: { company_name: 'Acme Outfitters', question: 'My tent arrived with a torn rainfly. Can I get my money back?' },
      expected: 'refund request',
      tags: ['damaged'],
      file: 'data/support-refund.jsonl',
      line: 2,
    });
  });

  test('ticket-summary: template form, anthropic model, json metrics', () => {
    const prompt = byName('ticket-summary');
    expect(prompt.model).toEqual({
      provider: 'anthropic',
      name: 'claude-haiku-4-5-20251001',
      params: { temperature: 0, max_tokens: 400 },
      line: 6,
      file: 'prompts/ticket-summary.prompt.yaml',
    });
    expect(prompt.messages).toHaveLength(1);
    expect(prompt.messages[0]!.role).toBe('user');
    expect(prompt.messages[0]!.line).toBe(10);
    expect(prompt.messages[0]!.content.startsWith('{% include "partials/json-only.njk" %}\n')).toBe(true);
    expect(prompt.lines.template).toBe(9);
    expect(prompt.suite.metrics).toEqual([
      { name: 'valid_json', type: 'is-json', line: 3 },
      { name: 'shape', type: 'json-schema', schema: 'schemas/ticket-summary.json', line: 5 },
      { name: 'priority', type: 'regex', value: '"priority"\\s*:\\s*"{{ expected.priority }}"', line: 8 },
      { name: 'brief', type: 'max-length', value: 600, line: 11 },
    ]);
    expect(prompt.suite.cases).toHaveLength(10);
    expect(prompt.suite.cases.at(9)!.expected).toEqual({ priority: 'low', product: 'web app' });
  });

  test('intent-classifier: repeated suite with a script metric', () => {
    const prompt = byName('intent-classifier');
    expect(prompt.model.params).toEqual({ temperature: 0, max_tokens: 5 });
    expect(prompt.suiteFile).toBe('evals/intent-classifier.eval.yaml');
    expect(prompt.suite.repeat).toBe(2);
    expect(prompt.suite.metrics).toEqual([
      { name: 'label', type: 'equals', value: '{{ expected }}', line: 4 },
      { name: 'clean_label', type: 'script', path: 'scorers/label-confidence.mjs', line: 7 },
    ]);
    expect(prompt.suite.gate).toEqual({ label: { max_drop: 0, min: 0.9 } });
    expect(prompt.suite.cases).toHaveLength(11);
    expect(caseFields(prompt.suite.cases.at(-1))).toEqual({
      id: 'i-11',
      vars: { message: 'Thanks, the team was great!' },
      expected: 'other',
      tags: ['edge'],
      file: 'data/intent-classifier.jsonl',
      line: 11,
    });
  });

  test('the script scorer follows the scorer contract', async () => {
    // A computed specifier: the scorer is plain JavaScript without type declarations.
    const scorer = new URL('../fixtures/example/scorers/label-confidence.mjs', import.meta.url).href;
    const { default: score } = (await import(scorer)) as {
      default: (ctx: { output: string }) => number | { score: number; reason: string };
    };
    expect(score({ output: ' Billing.\n' })).toBe(1);
    expect(score({ output: 'The label is shipping' })).toEqual({
      score: 0.5,
      reason: 'label "shipping" with extra text: "The label is shipping"',
    });
    expect(score({ output: 'no idea' })).toEqual({ score: 0, reason: 'no known label in "no idea"' });
  });
});
