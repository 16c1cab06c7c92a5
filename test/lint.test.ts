import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withArtifact, type PromptSource } from '../src/engine/artifact/artifact.js';
import { lintPrompt as lintLoaded } from '../src/engine/lint/index.js';
import { KNOWN_MODELS } from '../src/engine/lint/known-models.js';
import { classifyModel, type Pinning } from '../src/engine/lint/model-pinning.js';
import { WorkTree, type FileSource } from '../src/engine/git/source.js';
import type { Case, Config, Finding, Metric, Prompt, ProviderType } from '../src/engine/types.js';
import { defaultConfig } from '../src/engine/files/project.js';

/** Lints hand-built prompts as the loader hands them over: with artifacts built from their own trees. */
function lintPrompt(input: {
  prompt: PromptSource;
  headSrc: FileSource;
  base?: PromptSource;
  baseSrc?: FileSource;
  config: Config;
}): Finding[] {
  const base = input.base && input.baseSrc ? { base: withArtifact(input.base, input.baseSrc) } : {};
  return lintLoaded({ prompt: withArtifact(input.prompt, input.headSrc), ...base, config: input.config });
}

describe('classifyModel', () => {
  const cases: Array<[ProviderType, string, Pinning, string[]?]> = [
    // OpenAI aliases: the table also holds them with a snapshot suffix.
    ['openai', 'gpt-4o', { kind: 'floating', suggestion: 'gpt-4o-2024-11-20' }],
    ['openai', 'gpt-4o-mini', { kind: 'floating', suggestion: 'gpt-4o-mini-2024-07-18' }],
    ['openai', 'gpt-4.1', { kind: 'floating', suggestion: 'gpt-4.1-2025-04-14' }],
    ['openai', 'gpt-5', { kind: 'floating', suggestion: 'gpt-5-2025-08-07' }],
    ['openai', 'o3-mini', { kind: 'floating', suggestion: 'o3-mini-2025-01-31' }],
    ['openai', 'gpt-4-turbo', { kind: 'floating', suggestion: 'gpt-4-turbo-2024-04-09' }],
    ['openai', 'gpt-4o-audio-preview', { kind: 'floating', suggestion: 'gpt-4o-audio-preview-2025-06-03' }],
    ['openai', 'gpt-4', { kind: 'floating', suggestion: 'gpt-4-0613' }],
    // 0125 is January 2024, newer than 1106 (November 2023).
    ['openai', 'gpt-3.5-turbo', { kind: 'floating', suggestion: 'gpt-3.5-turbo-0125' }],
    // -latest always floats; a suggestion only where the table knows the stem's snapshots.
    ['openai', 'chatgpt-4o-latest', { kind: 'floating' }],
    ['openai', 'gpt-5.2-chat-latest', { kind: 'floating' }],
    ['openai', 'gpt-4o-latest', { kind: 'floating', suggestion: 'gpt-4o-2024-11-20' }],
    ['openai', 'chatgpt-4o-latest', { kind: 'floating' }, ['chatgpt-*', '*-latest']],
    // Pinned: snapshot suffixes, fine-tunes, known ids without a dated form.
    ['openai', 'gpt-4o-2024-11-20', { kind: 'pinned' }],
    ['openai', 'gpt-4o-2024-05-13', { kind: 'pinned' }],
    ['openai', 'gpt-4-0613', { kind: 'pinned' }],
    ['openai', 'gpt-3.5-turbo-0125', { kind: 'pinned' }],
    ['openai', 'gpt-4-0125-preview', { kind: 'pinned' }],
    ['openai', 'gpt-5.4', { kind: 'pinned' }],
    ['openai', 'ft:gpt-4o-mini-2024-07-18:org::abc', { kind: 'pinned' }],
    ['openai', 'gpt-9-2030-01-01', { kind: 'pinned' }],
    // Unknown, no suffix: unverified unless allowed.
    ['openai', 'llama3.1:8b', { kind: 'unverified' }],
    ['openai', 'gpt-4o-2024-13-45x', { kind: 'unverified' }],
    ['openai', 'my-org-support-v3', { kind: 'pinned' }, ['my-org-*']],
    ['openai', 'other-org-v3', { kind: 'unverified' }, ['my-org-*']],
    ['openai', 'gpt-4o', { kind: 'pinned' }, ['gpt-4o']],
    // Anthropic.
    ['anthropic', 'claude-haiku-4-5', { kind: 'floating', suggestion: 'claude-haiku-4-5-20251001' }],
    ['anthropic', 'claude-sonnet-4-5', { kind: 'floating', suggestion: 'claude-sonnet-4-5-20250929' }],
    ['anthropic', 'claude-opus-4-5', { kind: 'floating', suggestion: 'claude-opus-4-5-20251101' }],
    ['anthropic', 'claude-3-5-sonnet-latest', { kind: 'floating' }],
    ['anthropic', 'claude-haiku-4-5-20251001', { kind: 'pinned' }],
    ['anthropic', 'claude-3-5-sonnet-20241022', { kind: 'pinned' }],
    ['anthropic', 'claude-opus-4-6', { kind: 'pinned' }],
    ['anthropic', 'claude-sonnet-4-6', { kind: 'pinned' }],
    ['anthropic', 'claude-opus-4-7', { kind: 'pinned' }],
    ['anthropic', 'claude-3-5-sonnet', { kind: 'unverified' }],
    // Each provider's table is its own: an OpenAI alias is unknown to Anthropic.
    ['anthropic', 'gpt-4o', { kind: 'unverified' }],
  ];
  it.each(cases)('%s %s', (provider, name, expected, allow = []) => {
    expect(classifyModel(provider, name, allow)).toEqual(expected);
  });
});

describe('known-model table', () => {
  it('is sorted, unique and holds both providers', () => {
    for (const names of [KNOWN_MODELS.openai, KNOWN_MODELS.anthropic]) {
      expect([...new Set(names)].sort()).toEqual(names);
    }
    expect(KNOWN_MODELS.openai).toContain('gpt-4o-2024-11-20');
    expect(KNOWN_MODELS.anthropic).toContain('claude-haiku-4-5-20251001');
  });

  it('matches what the installed SDKs declare (scripts/update-models.mjs --check)', () => {
    const out = execFileSync('node', ['scripts/update-models.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/known-models\.ts is current: \d+ openai and \d+ anthropic models \(openai@[\d.]+ and @anthropic-ai\/sdk@[\d.]+\)/);
  });
});

// ---------- lintPrompt ----------

function config(allow: string[] = []): Config {
  const defaults = defaultConfig();
  return {
    ...defaults,
    providers: { ...defaults.providers, local: { type: 'openai', base_url: 'http://localhost:11434/v1' } },
    pinning: { allow },
  };
}

const PROMPT_FILE = 'prompts/a.prompt.yaml';
const SUITE_FILE = 'evals/a.eval.yaml';
const DATASET = 'data/a.jsonl';

function testCase(id: string, vars: Record<string, unknown>, line: number): Case {
  return { id, vars, file: DATASET, line };
}

function prompt(over: Partial<Prompt> & { content?: string; metrics?: Metric[]; cases?: Case[] } = {}): Prompt {
  const { content = 'Hello {{ name }}', metrics = [], cases = [], ...rest } = over;
  return {
    file: PROMPT_FILE,
    name: 'a',
    version: '1.0.0',
    model: { provider: 'openai', name: 'gpt-4o-2024-11-20', params: { temperature: 0 }, line: 5, file: PROMPT_FILE },
    messages: [{ role: 'user', content, line: 8 }],
    lines: { name: 1, version: 2, model: 3, messages: 7, eval: 9 },
    suiteFile: SUITE_FILE,
    suite: { file: SUITE_FILE, dataset: DATASET, repeat: 1, cases, metrics },
    ...rest,
  } as Prompt;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary working tree holding the given files. */
function tree(files: Record<string, string>): WorkTree {
  const root = mkdtempSync(join(tmpdir(), 'promptgate-lint-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return new WorkTree(root);
}

describe('lintPrompt: models', () => {
  it('reports a floating prompt model at its line, naming the snapshot to pin', () => {
    const p = prompt({ model: { provider: 'openai', name: 'gpt-4o', params: {}, line: 5, file: PROMPT_FILE } });
    const findings = lintPrompt({ prompt: p, headSrc: tree({}), config: config() });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'model-unpinned', severity: 'error', file: PROMPT_FILE, line: 5 });
    expect(findings[0]!.message).toBe(
      'model "gpt-4o" is a floating alias that the provider (openai) can repoint to another model ' +
        'at any time, changing behaviour without a version bump: pin gpt-4o-2024-11-20',
    );
  });

  it('falls back to the prompt file and its model key line when the ref has no location', () => {
    const p = prompt({ model: { provider: 'anthropic', name: 'claude-3-5-sonnet-latest', params: {} } });
    const [finding] = lintPrompt({ prompt: p, headSrc: tree({}), config: config(['claude-*']) });
    expect(finding).toMatchObject({ rule: 'model-unpinned', file: PROMPT_FILE, line: 3 });
    expect(finding!.message).toContain('model "claude-3-5-sonnet-latest" is a floating alias');
    expect(finding!.message).toMatch(/: pin a dated snapshot of it$/);
  });

  it('checks llm-judge models on the suite file, and only those', () => {
    const metrics: Metric[] = [
      {
        name: 'helpfulness',
        type: 'llm-judge',
        rubric: 'r',
        line: 12,
        model: { provider: 'anthropic', name: 'claude-haiku-4-5', params: {}, line: 14, file: SUITE_FILE },
      },
      { name: 'fair', type: 'llm-judge', rubric: 'r', line: 20, model: { provider: 'anthropic', name: 'claude-opus-4-6', params: {} } },
      { name: 'other', type: 'llm-judge', rubric: 'r', line: 30, model: { provider: 'anthropic', name: 'claude-sonnet-4-5', params: {} } },
      { name: 'accuracy', type: 'contains', value: '{{ expected }}', line: 40 },
    ];
    const findings = lintPrompt({ prompt: prompt({ metrics }), headSrc: tree({}), config: config() });
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['model-unpinned', SUITE_FILE, 14],
      ['model-unpinned', SUITE_FILE, 30],
    ]);
    expect(findings[0]!.message).toMatch(
      /^judge model "claude-haiku-4-5" of metric "helpfulness" is a floating alias .*: pin claude-haiku-4-5-20251001$/,
    );
    expect(findings[1]!.message).toMatch(/: pin claude-sonnet-4-5-20250929$/);
  });

  it('warns about an unknown model and says how to allow it; allowing it silences the warning', () => {
    const p = prompt({ model: { provider: 'local', name: 'llama3.1:8b', params: {}, line: 5, file: PROMPT_FILE } });
    const [finding, ...rest] = lintPrompt({ prompt: p, headSrc: tree({}), config: config() });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: 'model-unverified', severity: 'warning', file: PROMPT_FILE, line: 5 });
    expect(finding!.message).toContain('model "llama3.1:8b" is not in promptgate\'s table of known openai models');
    expect(finding!.message).toMatch(/add it to pinning\.allow in promptgate\.yaml$/);

    const withFile = { ...config(), file: 'ci/promptgate.yaml' };
    expect(lintPrompt({ prompt: p, headSrc: tree({}), config: withFile })[0]!.message).toMatch(/pinning\.allow in ci\/promptgate\.yaml$/);
    expect(lintPrompt({ prompt: p, headSrc: tree({}), config: config(['llama*']) })).toEqual([]);
  });

  it('leaves a model of an unconfigured provider to whoever resolves providers', () => {
    const p = prompt({ model: { provider: 'nowhere', name: 'gpt-4o', params: {}, line: 5 } });
    expect(lintPrompt({ prompt: p, headSrc: tree({}), config: config() })).toEqual([]);
  });
});

describe('lintPrompt: versions', () => {
  const withPartial = '{% include "partials/tone.njk" %}\nHello {{ name }}';
  const cases = [testCase('c-1', { name: 'Ada' }, 1)];

  it('reports an edited partial with an unchanged version, naming the file and the next versions', () => {
    const base = prompt({ content: withPartial, cases });
    const head = prompt({ content: withPartial, cases });
    const findings = lintPrompt({
      prompt: head,
      headSrc: tree({ 'partials/tone.njk': 'Be very kind.' }),
      base,
      baseSrc: tree({ 'partials/tone.njk': 'Be kind.' }),
      config: config(),
    });
    expect(findings).toEqual([
      {
        rule: 'version-not-bumped',
        severity: 'error',
        file: PROMPT_FILE,
        line: 2,
        message:
          'prompt "a" changed since the base (included file partials/tone.njk) but version "1.0.0" is unchanged: ' +
          'bump it, e.g. to 1.0.1 (patch) or 1.1.0 (minor)',
      },
    ]);
  });

  it('names changed messages and a changed model', () => {
    const base = prompt({ version: '2.3.4' });
    const head = prompt({
      version: '2.3.4',
      content: 'Hi {{ name }}',
      model: { provider: 'openai', name: 'gpt-4o-2024-08-06', params: { temperature: 0 }, line: 5, file: PROMPT_FILE },
    });
    const [finding] = lintPrompt({ prompt: head, headSrc: tree({}), base, baseSrc: tree({}), config: config() });
    expect(finding!.rule).toBe('version-not-bumped');
    expect(finding!.message).toContain('(messages, model openai/gpt-4o-2024-11-20 -> openai/gpt-4o-2024-08-06)');
    expect(finding!.message).toContain('e.g. to 2.3.5 (patch) or 2.4.0 (minor)');

    const paramsOnly = prompt({ version: '2.3.4', model: { ...base.model, params: { temperature: 1 } } });
    const [params] = lintPrompt({ prompt: paramsOnly, headSrc: tree({}), base, baseSrc: tree({}), config: config() });
    expect(params!.message).toContain('since the base (model parameters)');
  });

  it('needs no bump when only the suite and dataset changed', () => {
    const base = prompt({ cases, metrics: [{ name: 'm', type: 'contains', value: 'a' }] });
    const head = prompt({
      cases: [...cases, testCase('c-2', { name: 'Bo' }, 2)],
      metrics: [{ name: 'm', type: 'icontains', value: 'b' }],
      suite: { ...base.suite, repeat: 3 },
    });
    const src = tree({});
    expect(lintPrompt({ prompt: head, headSrc: src, base, baseSrc: src, config: config() })).toEqual([]);
  });

  it('accepts a changed artifact with a raised version, and no base at all', () => {
    const base = prompt({ content: 'Hi {{ name }}' });
    const head = prompt({ version: '1.0.1' });
    expect(lintPrompt({ prompt: head, headSrc: tree({}), base, baseSrc: tree({}), config: config() })).toEqual([]);
    expect(lintPrompt({ prompt: head, headSrc: tree({}), config: config() })).toEqual([]);
  });

  it('rejects a version lower than the base, changed or not', () => {
    const base = prompt({ version: '1.2.0' });
    const head = prompt({ version: '1.0.0' });
    expect(lintPrompt({ prompt: head, headSrc: tree({}), base, baseSrc: tree({}), config: config() })).toEqual([
      {
        rule: 'version-invalid',
        severity: 'error',
        file: PROMPT_FILE,
        line: 2,
        message: 'version "1.0.0" is lower than the base version 1.2.0: versions only go up; use 1.2.1 or higher',
      },
    ]);
  });

  it('rejects a version that is not semver, whatever the base', () => {
    for (const [version, example] of [
      ['2.1', '2.1.0'],
      ['latest', '1.0.0'],
    ]) {
      const head = prompt({ version });
      const findings = lintPrompt({ prompt: head, headSrc: tree({}), base: prompt(), baseSrc: tree({}), config: config() });
      expect(findings).toEqual([
        {
          rule: 'version-invalid',
          severity: 'error',
          file: PROMPT_FILE,
          line: 2,
          message: `version "${version}" is not semver: write MAJOR.MINOR.PATCH, e.g. ${example}`,
        },
      ]);
    }
  });

  it('does not compare against a base whose version was not semver', () => {
    const findings = lintPrompt({
      prompt: prompt({ content: 'Hi {{ name }}' }),
      headSrc: tree({}),
      base: prompt({ version: 'one' }),
      baseSrc: tree({}),
      config: config(),
    });
    expect(findings).toEqual([]);
  });
});

describe('lintPrompt: template variables', () => {
  it('reports each missing variable once, at the first case lacking it, naming a few cases and the count', () => {
    const p = prompt({
      content: 'You work for {{ company_name }}.\n{{ question }} {{ name }}',
      cases: [
        testCase('c-1', { company_name: 'Acme', question: 'q', name: 'n' }, 1),
        testCase('c-2', { question: 'q', name: 'n' }, 2),
        testCase('c-3', { question: 'q', name: 'n' }, 3),
        testCase('c-4', { company_name: null, name: 'n' }, 4),
        testCase('c-5', { name: 'n' }, 5),
        testCase('c-6', { name: 'n' }, 6),
      ],
    });
    const findings = lintPrompt({ prompt: p, headSrc: tree({}), config: config() });
    expect(findings).toEqual([
      {
        rule: 'template-undefined-variable',
        severity: 'error',
        file: DATASET,
        line: 2,
        message:
          'variable "company_name" (prompts/a.prompt.yaml:8) is missing from 4 cases, e.g. c-2 (data/a.jsonl:2), c-3, c-5: ' +
          'add "company_name" to their vars',
      },
      {
        rule: 'template-undefined-variable',
        severity: 'error',
        file: DATASET,
        line: 4,
        message:
          'variable "question" (prompts/a.prompt.yaml:9) is missing from 3 cases, e.g. c-4 (data/a.jsonl:4), c-5, c-6: add "question" to their vars',
      },
    ]);
  });

  it('finds variables used inside included files and names a single case plainly', () => {
    const p = prompt({ content: '{% include "partials/sig.njk" %}', cases: [testCase('only', { name: 'x' }, 7)] });
    const findings = lintPrompt({ prompt: p, headSrc: tree({ 'partials/sig.njk': 'Regards,\n{{ agent }}' }), config: config() });
    expect(findings).toEqual([
      {
        rule: 'template-undefined-variable',
        severity: 'error',
        file: DATASET,
        line: 7,
        message: 'variable "agent" (partials/sig.njk:2) is missing from case only (data/a.jsonl:7): add "agent" to its vars',
      },
    ]);
  });

  it('is silent when every case defines every variable', () => {
    const p = prompt({ cases: [testCase('c-1', { name: 'a' }, 1), testCase('c-2', { name: 'b', extra: 1 }, 2)] });
    expect(lintPrompt({ prompt: p, headSrc: tree({}), config: config() })).toEqual([]);
  });
});
