import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/engine/errors.js';
import { GitTree, WorkTree, type FileSource } from '../src/engine/git/source.js';
import { PromptTemplates, renderMessages, renderMetricValue } from '../src/engine/artifact/template.js';
import { buildArtifact, type PromptSource } from '../src/engine/artifact/artifact.js';
import type { Case, MessageTemplate, Metric, Suite } from '../src/engine/types.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function repo(files: Record<string, string>): { root: string; src: WorkTree } {
  const root = mkdtempSync(join(tmpdir(), 'promptgate-template-'));
  roots.push(root);
  write(root, files);
  return { root, src: new WorkTree(root) };
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function suite(overrides: Partial<Suite> = {}): Suite {
  return { file: 'evals/a.eval.yaml', repeat: 1, cases: [], metrics: [], gate: {}, ...overrides };
}

// The artifact's facets, each read from one artifact built the way the loader builds it.
const promptHash = (p: PromptSource, src: FileSource) => buildArtifact(p, src).hash;
const suiteHash = (s: Suite, src: FileSource) => buildArtifact(prompt([], { suite: s }), src).suiteHash;
const promptDependencies = (p: PromptSource, src: FileSource) => buildArtifact(p, src).dependencies;
const templateVariables = (p: PromptSource, src: FileSource) => buildArtifact(p, src).variableUses;
const includedFiles = (p: PromptSource, src: FileSource) => {
  const artifact = buildArtifact(p, src);
  return { files: Object.keys(artifact.templates).sort(), problems: artifact.problems };
};

function prompt(messages: MessageTemplate[], overrides: Partial<PromptSource> = {}): PromptSource {
  return {
    file: 'prompts/a.prompt.yaml',
    name: 'a',
    version: '1.0.0',
    model: { provider: 'openai', name: 'gpt-4o-2024-11-20', params: { temperature: 0 } },
    messages,
    lines: {},
    suite: suite(),
    ...overrides,
  };
}

/** The UserError a call throws; fails the test when it throws nothing or something else. */
function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

const PROMPT_YAML = [
  'name: a', //                                1
  'version: 1.0.0', //                         2
  'messages:', //                              3
  '  - role: system', //                       4
  '    content: |', //                         5
  '      {% include "partials/tone.njk" %}', // 6
  '      Hello {{ company }}.', //             7
  '  - role: user', //                         8
  '    content: "{{ question }}"', //          9
  '',
].join('\n');

const SYSTEM = '{% include "partials/tone.njk" %}\nHello {{ company }}.\n';

describe('PromptTemplates.render', () => {
  it('includes relative to the prompt file first, then from the repo root', () => {
    const { src } = repo({
      'prompts/partials/tone.njk': 'Be kind.',
      'partials/tone.njk': 'root tone',
      'shared/footer.njk': 'Bye {{ name }}.',
    });
    const t = new PromptTemplates(src, 'prompts/a.prompt.yaml');
    const out = t.render(
      '{% include "partials/tone.njk" %} {% include "shared/footer.njk" %}',
      { name: 'Ann' },
      { file: 'prompts/a.prompt.yaml' },
    );
    expect(out).toBe('Be kind. Bye Ann.');
  });

  it('resolves nested includes from the prompt file, then the root', () => {
    const { src } = repo({
      'prompts/partials/outer.njk': '[{% include "partials/inner.njk" %}]',
      'prompts/partials/inner.njk': '<{% include "common/leaf.njk" %}>',
      'common/leaf.njk': '{{ x }}',
    });
    const t = new PromptTemplates(src, 'prompts/a.prompt.yaml');
    expect(t.render('{% include "partials/outer.njk" %}', { x: 7 }, { file: 'prompts/a.prompt.yaml' })).toBe('[<7>]');
  });

  it('never reads outside the repo', () => {
    const { root, src } = repo({ 'prompts/x.njk': 'inside' });
    writeFileSync(join(dirname(root), `${root.split('/').pop()}-outside.njk`), 'outside');
    roots.push(join(dirname(root), `${root.split('/').pop()}-outside.njk`));
    const t = new PromptTemplates(src, 'prompts/a.prompt.yaml');
    const err = userError(() =>
      t.render(`{% include "../../${root.split('/').pop()}-outside.njk" %}`, {}, { file: 'prompts/a.prompt.yaml', line: 4 }),
    );
    expect(err.message).toContain('not found');
    expect(err.location).toEqual({ file: 'prompts/a.prompt.yaml', line: 4 });
  });

  it('names an undefined top-level variable with its file and line (quoted scalar: the key line)', () => {
    const { src } = repo({ 'prompts/a.prompt.yaml': PROMPT_YAML, 'prompts/partials/tone.njk': 'Kind.' });
    const t = new PromptTemplates(src, 'prompts/a.prompt.yaml');
    const err = userError(() => t.render('{{ question }}', {}, { file: 'prompts/a.prompt.yaml', line: 9 }));
    expect(err.message).toContain('"question"');
    expect(err.message).toContain('prompts/a.prompt.yaml:9');
    expect(err.location).toEqual({ file: 'prompts/a.prompt.yaml', line: 9 });
  });

  it('counts lines of a block scalar from the line below its key', () => {
    const { src } = repo({ 'prompts/a.prompt.yaml': PROMPT_YAML, 'prompts/partials/tone.njk': 'Kind.' });
    const t = new PromptTemplates(src, 'prompts/a.prompt.yaml');
    const err = userError(() => t.render(SYSTEM, {}, { file: 'prompts/a.prompt.yaml', line: 5 }));
    expect(err.message).toContain('"company"');
    expect(err.location).toEqual({ file: 'prompts/a.prompt.yaml', line: 7 });
  });

  it('reports an undefined variable used only in a for loop or an if, which nunjucks would render as nothing', () => {
    const { src } = repo({});
    const t = new PromptTemplates(src, 'p.yaml');
    const loop = userError(() => t.render('A\n{% for i in items %}{{ i }}{% endfor %}', {}, { file: 'p.yaml', line: 3 }));
    expect(loop.message).toContain('"items"');
    expect(loop.location).toEqual({ file: 'p.yaml', line: 4 });
    const inLoop = userError(() =>
      t.render('{% for i in items %}\n{{ i }}{{ other }}{% endfor %}', { items: [1] }, { file: 'p.yaml', line: 1 }),
    );
    expect(inLoop.message).toContain('"other"');
    expect(inLoop.location).toEqual({ file: 'p.yaml', line: 2 });
    const cond = userError(() => t.render('{% if vip %}VIP{% endif %}', {}, { file: 'p.yaml', line: 2 }));
    expect(cond.message).toContain('"vip"');
    expect(cond.location).toEqual({ file: 'p.yaml', line: 2 });
  });

  it('reports an undefined variable inside an include at its line in the included file', () => {
    const { src } = repo({ 'prompts/partials/p.njk': 'line one\n{{ name }} and {{ missing }}' });
    const t = new PromptTemplates(src, 'prompts/a.prompt.yaml');
    const err = userError(() => t.render('{% include "partials/p.njk" %}', { name: 'x' }, { file: 'prompts/a.prompt.yaml', line: 5 }));
    expect(err.message).toContain('"missing"');
    expect(err.message).toContain('prompts/partials/p.njk:2');
    expect(err.location).toEqual({ file: 'prompts/partials/p.njk', line: 2 });
  });

  it('sees nothing of the process environment', () => {
    expect(process.env['HOME']).toBeTruthy();
    const t = new PromptTemplates(repo({}).src, 'p.yaml');
    const err = userError(() => t.render('{{ HOME }}', {}, { file: 'p.yaml', line: 1 }));
    expect(err.message).toContain('"HOME"');
  });

  it('does not autoescape', () => {
    const t = new PromptTemplates(repo({}).src, 'p.yaml');
    expect(t.render('<b>{{ v }}</b>', { v: '<i>&"' }, { file: 'p.yaml' })).toBe('<b><i>&"</b>');
  });

  it('accepts loop, set and macro names, globals, and guarded optional names', () => {
    const t = new PromptTemplates(repo({}).src, 'p.yaml');
    const source = [
      '{% set greeting = "Hi" %}{% macro tag(v, sep=",") %}{{ v }}{{ sep }}{% endmacro %}',
      '{% for k, v in pairs %}{{ loop.index }}{{ k }}={{ tag(v) }}{% endfor %}',
      '{% for n in range(2) %}{{ n }}{% endfor %}{{ greeting }}',
      '{% if nick is defined %}{{ nick }}{% endif %}{{ title | default("none") }}',
    ].join('');
    expect(t.render(source, { pairs: { a: 1 } }, { file: 'p.yaml' })).toBe('1a=1,01Hinone');
    expect(t.render(source, { pairs: {}, nick: 'N', title: 'T' }, { file: 'p.yaml' })).toBe('01HiNT');
  });

  it('throws a UserError for a missing include and for an include cycle', () => {
    const { src } = repo({ 'a.njk': 'A{% include "b.njk" %}', 'b.njk': 'B{% include "a.njk" %}' });
    const t = new PromptTemplates(src, 'p.yaml');
    const missing = userError(() => t.render('x\n{% include "nope.njk" %}', {}, { file: 'p.yaml', line: 3 }));
    expect(missing.message).toContain('"nope.njk" not found');
    expect(missing.location).toEqual({ file: 'p.yaml', line: 4 });
    const cycle = userError(() => t.render('{% include "a.njk" %}', {}, { file: 'p.yaml', line: 1 }));
    expect(cycle.message).toContain('a.njk → b.njk → a.njk');
    expect(cycle.location).toEqual({ file: 'b.njk', line: 1 });
  });

  it('renders nothing for a missing `ignore missing` include, and extends a layout', () => {
    const { src } = repo({ 'layout.njk': '<{% block body %}default{% endblock %}>{{ footer }}' });
    const t = new PromptTemplates(src, 'p.yaml');
    expect(t.render('a{% include "nope.njk" ignore missing %}b', {}, { file: 'p.yaml' })).toBe('ab');
    expect(t.render('{% extends "layout.njk" %}{% block body %}{{ x }}{% endblock %}', { x: 1, footer: '!' }, { file: 'p.yaml' })).toBe(
      '<1>!',
    );
    expect(userError(() => t.render('{% extends "layout.njk" %}', { x: 1 }, { file: 'p.yaml' })).message).toContain('"footer"');
  });

  it('reports a syntax error as a UserError at the template', () => {
    const t = new PromptTemplates(repo({}).src, 'p.yaml');
    const err = userError(() => t.render('{% if x %}open', { x: 1 }, { file: 'p.yaml', line: 6 }));
    expect(err.message).toContain('Template syntax error');
    expect(err.location).toEqual({ file: 'p.yaml', line: 6 });
  });

  it('reads included files from a commit through GitTree', () => {
    const { root } = repo({ 'prompts/partials/tone.njk': 'committed {{ who }}' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
    const sha = git('rev-parse', 'HEAD');
    write(root, { 'prompts/partials/tone.njk': 'edited {{ who }}' });

    const source = '{% include "partials/tone.njk" %}';
    const atCommit = new PromptTemplates(new GitTree(root, sha), 'prompts/a.prompt.yaml');
    const inTree = new PromptTemplates(new WorkTree(root), 'prompts/a.prompt.yaml');
    expect(atCommit.render(source, { who: 'me' }, { file: 'prompts/a.prompt.yaml' })).toBe('committed me');
    expect(inTree.render(source, { who: 'me' }, { file: 'prompts/a.prompt.yaml' })).toBe('edited me');
  });
});

describe('renderMessages and renderMetricValue', () => {
  it('renders every message with the case vars', () => {
    const { src } = repo({ 'prompts/a.prompt.yaml': PROMPT_YAML, 'prompts/partials/tone.njk': 'Kind.' });
    const p = prompt([
      { role: 'system', content: SYSTEM, line: 5 },
      { role: 'user', content: '{{ question }}', line: 9 },
    ]);
    expect(renderMessages(p, new PromptTemplates(src, p.file), { company: 'ACME', question: 'Refund?' })).toEqual([
      { role: 'system', content: 'Kind.\nHello ACME.\n' },
      { role: 'user', content: 'Refund?' },
    ]);
  });

  it('gives metric values the vars, expected and case', () => {
    const t = new PromptTemplates(repo({}).src, 'evals/a.eval.yaml');
    const c: Case = { id: 'c1', vars: { q: 'why' }, expected: 'because', tags: ['x', 'y'], file: 'd.jsonl' };
    const value = '{{ q }}|{{ expected }}|{{ case.id }}|{{ case.tags | join(",") }}';
    expect(renderMetricValue(t, value, c, { file: 'evals/a.eval.yaml', line: 3 })).toBe('why|because|c1|x,y');
    const err = userError(() =>
      renderMetricValue(t, '{{ expected }}', { id: 'c2', vars: {}, file: 'd.jsonl' }, { file: 'evals/a.eval.yaml', line: 3 }),
    );
    expect(err.message).toContain('"expected"');
  });
});

describe('static analysis', () => {
  const files = {
    'prompts/partials/tone.njk': '{% include "partials/inner.njk" %}{{ tone }}',
    'prompts/partials/inner.njk': 'inner {{ brand }}',
    'shared/macros.njk': '{% macro up(s) %}{{ s | upper }}{% endmacro %}',
  };
  const messages: MessageTemplate[] = [
    { role: 'system', content: '{% include "partials/tone.njk" %}{% from "shared/macros.njk" import up %}{{ up(company) }}', line: 5 },
    {
      role: 'user',
      content: '{% for item in items %}{% set n = loop.index %}{{ n }}{{ item | truncate(limit) }}{% endfor %}{{ cycler(1) }}',
      line: 9,
    },
  ];

  it('lists free variables, including those only used inside includes, with their first use', () => {
    const { src } = repo(files);
    expect(templateVariables(prompt(messages), src)).toEqual([
      { name: 'brand', file: 'prompts/partials/inner.njk', line: 1 },
      { name: 'tone', file: 'prompts/partials/tone.njk', line: 1 },
      { name: 'company', file: 'prompts/a.prompt.yaml', line: 5 },
      { name: 'items', file: 'prompts/a.prompt.yaml', line: 9 },
      { name: 'limit', file: 'prompts/a.prompt.yaml', line: 9 },
    ]);
  });

  it('sees loop variables in a template included inside the loop as bound', () => {
    const { src } = repo({ 'row.njk': '{{ row.id }} {{ sep }}' });
    const p = prompt([{ role: 'user', content: '{% for row in rows %}{% include "row.njk" %}{% endfor %}' }]);
    expect(templateVariables(p, src).map((v) => v.name)).toEqual(['rows', 'sep']);
  });

  it('lists included files transitively', () => {
    const { src } = repo(files);
    expect(includedFiles(prompt(messages), src)).toEqual({
      files: ['prompts/partials/inner.njk', 'prompts/partials/tone.njk', 'shared/macros.njk'],
      problems: [],
    });
  });

  it('reports a missing include and a cycle as problems', () => {
    const { src } = repo({ 'a.njk': 'A{% include "b.njk" %}', 'b.njk': 'B\n{% include "a.njk" %}' });
    const p = prompt([{ role: 'user', content: '{% include "a.njk" %}\n{% include "gone.njk" %}', line: 2 }]);
    expect(includedFiles(p, src)).toEqual({
      files: ['a.njk', 'b.njk'],
      problems: [
        { message: 'Template include cycle: a.njk → b.njk → a.njk. Remove one of these includes.', file: 'b.njk', line: 2 },
        {
          message:
            'Template "gone.njk" not found (looked relative to the prompt file, then the repo root): create that file, or fix the path in the include.',
          file: 'prompts/a.prompt.yaml',
          line: 3,
        },
      ],
    });
  });
});

describe('hashes and dependencies', () => {
  const files = {
    'prompts/partials/tone.njk': 'Be kind.',
    'schemas/out.json': '{"type":"object"}',
    'scorers/tone.mjs': 'export default () => 1;',
  };
  const base = () =>
    prompt([{ role: 'system', content: '{% include "partials/tone.njk" %}{{ q }}', line: 5 }], {
      description: 'first',
      suiteFile: 'evals/a.eval.yaml',
      suite: suite({
        dataset: 'data/a.jsonl',
        cases: [{ id: 'c1', vars: { q: 'x' }, file: 'data/a.jsonl', line: 1 }],
        metrics: [
          { name: 'format', type: 'json-schema', schema: 'schemas/out.json' },
          { name: 'tone', type: 'script', path: 'scorers/tone.mjs' },
        ],
      }),
    });

  it('promptHash follows messages, included text and model, not description, version or suite', () => {
    const { root, src } = repo(files);
    const h = promptHash(base(), src);
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(promptHash({ ...base(), description: 'second', version: '9.9.9', lines: { name: 3 } }, src)).toBe(h);
    expect(promptHash({ ...base(), suite: suite({ repeat: 5 }) }, src)).toBe(h);
    expect(promptHash({ ...base(), model: { ...base().model, name: 'gpt-4o-2024-08-06' } }, src)).not.toBe(h);
    expect(promptHash({ ...base(), model: { ...base().model, params: { temperature: 1 } } }, src)).not.toBe(h);
    expect(
      promptHash({ ...base(), messages: [{ role: 'user', content: '{% include "partials/tone.njk" %}{{ q }}', line: 5 }] }, src),
    ).not.toBe(h);
    write(root, { 'prompts/partials/tone.njk': 'Be very kind.' });
    expect(promptHash(base(), src)).not.toBe(h);
  });

  it('suiteHash follows schema and script text, cases and metrics, not line numbers', () => {
    const { root, src } = repo(files);
    const s = base().suite;
    const h = suiteHash(s, src);
    expect(
      suiteHash(
        { ...s, cases: Array.from(s.cases, (c) => ({ ...c, line: 40 })), metrics: s.metrics.map((m): Metric => ({ ...m, line: 7 })) },
        src,
      ),
    ).toBe(h);
    expect(suiteHash({ ...s, repeat: 3 }, src)).not.toBe(h);
    expect(suiteHash({ ...s, cases: [{ id: 'c1', vars: { q: 'y' }, file: 'data/a.jsonl' }] }, src)).not.toBe(h);
    write(root, { 'schemas/out.json': '{"type":"array"}' });
    const afterSchema = suiteHash(s, src);
    expect(afterSchema).not.toBe(h);
    write(root, { 'scorers/tone.mjs': 'export default () => 0;' });
    expect(suiteHash(s, src)).not.toBe(afterSchema);
  });

  it('promptDependencies lists the prompt, suite, dataset, includes, schemas and scripts', () => {
    const { src } = repo({ ...files, 'prompts/partials/tone.njk': '{% include "shared/x.njk" %}', 'shared/x.njk': 'x' });
    expect(promptDependencies(base(), src)).toEqual([
      'data/a.jsonl',
      'evals/a.eval.yaml',
      'prompts/a.prompt.yaml',
      'prompts/partials/tone.njk',
      'schemas/out.json',
      'scorers/tone.mjs',
      'shared/x.njk',
    ]);
  });
});
