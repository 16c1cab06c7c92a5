import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadProject } from '../src/engine/files/project.js';
import { WorkTree } from '../src/engine/git/source.js';
import type { Finding, Project } from '../src/engine/types.js';
import { caseFields } from './helpers/case-fields.js';

// Each test starts from a small valid repo and breaks one file.
const PROMPT = `name: a
version: 1.0.0
model:
  provider: openai
  name: gpt-4o-2024-11-20
template: "{{ q }}"
eval: ../evals/a.eval.yaml
`;
const SUITE = `dataset: ../data/a.jsonl
metrics:
  - name: m
    type: contains
    value: x
`;
const DATASET = '{"id": "one", "vars": {"q": "hi"}}\n{"id": "two", "vars": {"q": "ho"}}\n';
const BASE: Record<string, string | Buffer> = {
  'prompts/a.prompt.yaml': PROMPT,
  'evals/a.eval.yaml': SUITE,
  'data/a.jsonl': DATASET,
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function load(files: Record<string, string | Buffer>): Project {
  const root = mkdtempSync(join(tmpdir(), 'promptgate-files-'));
  dirs.push(root);
  for (const [path, content] of Object.entries({ ...BASE, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return loadProject(new WorkTree(root));
}

/** The project's only finding, checked to have broken prompts/a.prompt.yaml. */
function only(project: Project): Finding {
  expect(project.prompts).toEqual([]);
  expect(project.brokenFiles).toEqual(['prompts/a.prompt.yaml']);
  expect(project.findings).toHaveLength(1);
  return project.findings[0]!;
}

function invalidFile(file: string, line: number | undefined, column: number | undefined, key: string | undefined, phrase: string) {
  return {
    rule: 'invalid-file',
    severity: 'error',
    file,
    ...(line !== undefined && { line }),
    ...(column !== undefined && { column }),
    ...(key !== undefined && { key }),
    message: expect.stringContaining(phrase),
  };
}

describe('loading errors are located findings', () => {
  test('malformed YAML', () => {
    const project = load({ 'prompts/a.prompt.yaml': 'name: a\nversion: 1.0.0\ntemplate: [oops\nfoo: 1\n' });
    expect(only(project)).toEqual(
      invalidFile(
        'prompts/a.prompt.yaml',
        4,
        1,
        undefined,
        'not valid YAML: flow sequence in block collection must be sufficiently indented',
      ),
    );
  });

  test('wrong type', () => {
    const project = load({ 'evals/a.eval.yaml': `${SUITE}repeat: 1.5\n` });
    expect(only(project)).toEqual(
      invalidFile(
        'evals/a.eval.yaml',
        6,
        9,
        'repeat',
        'repeat: expected a whole number, found the number 1.5; change it to a whole number',
      ),
    );
  });

  test('unknown key, located at the key, listing the allowed ones', () => {
    const project = load({ 'prompts/a.prompt.yaml': `${PROMPT}descripton: typo\n` });
    expect(only(project)).toEqual(
      invalidFile(
        'prompts/a.prompt.yaml',
        8,
        1,
        'descripton',
        'unknown key "descripton"; expected one of: name, version, description, model, messages, template, eval; remove it',
      ),
    );
  });

  test('unknown metric type', () => {
    const project = load({ 'evals/a.eval.yaml': SUITE.replace('type: contains', 'type: contain') });
    expect(only(project)).toEqual(
      invalidFile(
        'evals/a.eval.yaml',
        4,
        11,
        'metrics.0.type',
        'unknown metric type "contain"; expected one of equals, contains, not-contains, icontains,',
      ),
    );
  });

  test('a metric missing a field its type needs', () => {
    const project = load({ 'evals/a.eval.yaml': SUITE.replace('    value: x\n', '') });
    expect(only(project)).toEqual(
      invalidFile(
        'evals/a.eval.yaml',
        3,
        5,
        'metrics.0.value',
        'metrics.0.value: expected a text (nunjucks allowed, e.g. "{{ expected }}"); the key is missing, add it',
      ),
    );
  });

  test('invalid regex, unless it is a template', () => {
    const bad = load({ 'evals/a.eval.yaml': SUITE.replace('type: contains\n    value: x', 'type: regex\n    value: "(?i)(unclosed"') });
    expect(only(bad)).toEqual(
      invalidFile(
        'evals/a.eval.yaml',
        5,
        12,
        'metrics.0.value',
        'invalid regular expression "(?i)(unclosed": missing closing ): `(?i)(unclosed`; fix the pattern',
      ),
    );
    const templated = load({
      'evals/a.eval.yaml': SUITE.replace('type: contains\n    value: x', 'type: not-regex\n    value: "({{ q }}"'),
    });
    expect(templated.findings).toEqual([]);
  });

  test('missing dataset', () => {
    const project = load({ 'evals/a.eval.yaml': SUITE.replace('a.jsonl', 'nope.jsonl') });
    expect(only(project)).toEqual(
      invalidFile(
        'evals/a.eval.yaml',
        1,
        10,
        'dataset',
        'dataset file data/nope.jsonl not found ("../data/nope.jsonl" is relative to evals/)',
      ),
    );
  });

  test('a dataset outside the repository', () => {
    const project = load({ 'evals/a.eval.yaml': SUITE.replace('../data/a.jsonl', '../../a.jsonl') });
    expect(only(project)).toEqual(invalidFile('evals/a.eval.yaml', 1, 10, 'dataset', '"../../a.jsonl" points outside the repository'));
  });

  test('missing schema', () => {
    const project = load({
      'evals/a.eval.yaml': SUITE.replace('type: contains\n    value: x', 'type: json-schema\n    schema: ../schemas/none.json'),
    });
    expect(only(project)).toEqual(invalidFile('evals/a.eval.yaml', 5, 13, 'metrics.0.schema', 'schema file schemas/none.json not found'));
  });

  test('a schema that is not JSON is located in the schema file', () => {
    const project = load({
      'evals/a.eval.yaml': SUITE.replace('type: contains\n    value: x', 'type: json-schema\n    schema: ../schemas/s.json'),
      'schemas/s.json': '{\n  "type": "object",\n  "required": ["a",]\n}\n',
    });
    expect(only(project)).toEqual(
      invalidFile('schemas/s.json', 3, 20, undefined, "not valid JSON: unexpected token ']' (line 3, column 20)"),
    );
  });

  test('duplicate case id names the first one', () => {
    const project = load({ 'data/a.jsonl': `${DATASET}\n{"id": "one", "vars": {"q": "again"}}\n` });
    expect(only(project)).toEqual(invalidFile('data/a.jsonl', 4, 8, 'id', 'duplicate case id "one", first used at line 1'));
  });

  test('JSONL with CRLF line ends, blank lines and no final newline: every case, on its line', () => {
    const text = '\r\n{"id": "one", "vars": {"q": "a\\r\\nb"}, "tags": ["x"]}\r\n  \r\n\r\n{"vars": {"q": "ho"}, "expected": null}';
    const project = load({ 'data/a.jsonl': text });
    expect(project.findings).toEqual([]);
    const cases = [...project.prompts[0]!.suite.cases];
    expect(cases.map(caseFields)).toEqual([
      { id: 'one', vars: { q: 'a\r\nb' }, tags: ['x'], file: 'data/a.jsonl', line: 2 },
      { id: cases[1]!.id, vars: { q: 'ho' }, expected: null, file: 'data/a.jsonl', line: 5 },
    ]);
    const broken = load({ 'data/a.jsonl': `${DATASET.replaceAll('\n', '\r\n')}\r\n{"id": "three", "vars": {"q": }}\r\n` });
    expect(only(broken)).toEqual(invalidFile('data/a.jsonl', 4, 31, undefined, "not valid JSON: unexpected token '}' (line 4, column 31)"));
    const notACase = load({ 'data/a.jsonl': `${DATASET.replaceAll('\n', '\r\n')}{"id": "three", "vars": {"q": 1}, "tags": "x"}\r\n` });
    expect(only(notACase)).toEqual(invalidFile('data/a.jsonl', 3, 43, 'tags', 'tags: expected a list, found the text "x"'));
  });

  test('JSONL line that does not parse', () => {
    const project = load({ 'data/a.jsonl': `${DATASET}{"id": "three", "vars": {"q": }}\n` });
    expect(only(project)).toEqual(
      invalidFile('data/a.jsonl', 3, 31, undefined, "not valid JSON: unexpected token '}' (line 3, column 31)"),
    );
  });

  test('JSONL line that is not a case', () => {
    const project = load({ 'data/a.jsonl': `${DATASET}{"id": "three", "vars": {"q": 1}, "tags": "x"}\n` });
    expect(only(project)).toEqual(invalidFile('data/a.jsonl', 3, 43, 'tags', 'tags: expected a list, found the text "x"'));
  });

  test('non-UTF-8 file', () => {
    const bytes = Buffer.concat([Buffer.from('name: a\nversion: 1.0.0\ndescription: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const project = load({ 'prompts/a.prompt.yaml': Buffer.concat([bytes, Buffer.from(PROMPT.slice(PROMPT.indexOf('model:')))]) });
    expect(only(project)).toEqual(invalidFile('prompts/a.prompt.yaml', 3, 17, undefined, 'is not valid UTF-8 (first bad byte at line 3)'));
  });

  test('empty file', () => {
    const project = load({ 'evals/a.eval.yaml': '\n  \n' });
    expect(only(project)).toEqual(invalidFile('evals/a.eval.yaml', 1, 1, undefined, 'evals/a.eval.yaml is empty'));
    // Whitespace beyond ASCII is whitespace too: a byte order mark, a no-break and an ideographic space.
    const unicodeBlank = load({ 'evals/a.eval.yaml': '\uFEFF\u00a0\u3000\n' });
    expect(only(unicodeBlank)).toEqual(invalidFile('evals/a.eval.yaml', 1, 1, undefined, 'evals/a.eval.yaml is empty'));
    const notBlank = load({ 'evals/a.eval.yaml': '\uFEFF\u00a0é\n' });
    expect(notBlank.findings.map((f) => f.message).join('\n')).not.toContain('is empty');
  });

  test('oversized file', () => {
    const project = load({ 'evals/a.eval.yaml': `${SUITE}# ${'x'.repeat(1024 * 1024)}\n` });
    expect(only(project)).toEqual(
      invalidFile('evals/a.eval.yaml', undefined, undefined, undefined, 'over the 1 MiB limit for config, prompt, suite and schema files'),
    );
  });

  test('unknown provider names the known ones', () => {
    const project = load({ 'prompts/a.prompt.yaml': PROMPT.replace('provider: openai', 'provider: opneai') });
    expect(only(project)).toEqual(
      invalidFile('prompts/a.prompt.yaml', 4, 13, 'model.provider', 'unknown provider "opneai"; expected one of openai, anthropic'),
    );
  });

  test('messages and template both present', () => {
    const project = load({ 'prompts/a.prompt.yaml': `${PROMPT}messages:\n  - role: user\n    content: hi\n` });
    expect(only(project)).toEqual(invalidFile('prompts/a.prompt.yaml', 6, 11, 'template', 'a prompt takes either messages or template'));
  });

  test('duplicate prompt name: the later file is reported and left out', () => {
    const project = load({ 'prompts/b.prompt.yaml': PROMPT });
    expect(project.prompts.map((p) => p.file)).toEqual(['prompts/a.prompt.yaml']);
    expect(project.brokenFiles).toEqual(['prompts/b.prompt.yaml']);
    expect(project.findings).toEqual([
      {
        rule: 'duplicate-name',
        severity: 'error',
        file: 'prompts/b.prompt.yaml',
        line: 1,
        column: 7,
        key: 'name',
        message: expect.stringContaining('name "a" is already used by prompts/a.prompt.yaml (line 1)'),
      },
    ]);
  });

  test("a gate names the suite's metrics and error_rate; any rule that would be ignored is a finding", () => {
    const ok = load({ 'evals/a.eval.yaml': `${SUITE}gate:\n  m: { min: 0.5 }\n  error_rate: { max_error_rate: 0.1 }\n` });
    expect(ok.findings).toEqual([]);
    expect(ok.prompts[0]!.suite.gate).toEqual({ m: { min: 0.5 }, error_rate: { max_error_rate: 0.1 } });
    const bad = (gate: string) => only(load({ 'evals/a.eval.yaml': `${SUITE}gate:\n${gate}` }));
    expect(bad('  mm: { min: 0.5 }\n')).toEqual(
      invalidFile('evals/a.eval.yaml', 7, 3, 'gate.mm', 'unknown metric "mm"; expected one of m, error_rate'),
    );
    expect(bad('  latency_p95_ms: { max_drop: 0.1 }\n')).toEqual(
      invalidFile('evals/a.eval.yaml', 7, 3, 'gate.latency_p95_ms', '"latency_p95_ms" is reported, not gated'),
    );
    expect(bad('  m: { max_error_rate: 0.1 }\n')).toEqual(
      invalidFile('evals/a.eval.yaml', 7, 3, 'gate.m', 'max_error_rate is per prompt, not per metric: move it to gate.error_rate'),
    );
    expect(bad('  error_rate: { min: 0.5 }\n')).toEqual(
      invalidFile('evals/a.eval.yaml', 7, 3, 'gate.error_rate', 'gate.error_rate takes only max_error_rate'),
    );
  });

  test('duplicate metric names', () => {
    const project = load({ 'evals/a.eval.yaml': `${SUITE}  - name: m\n    type: is-json\n` });
    expect(only(project)).toEqual(
      invalidFile('evals/a.eval.yaml', 6, 11, 'metrics.1.name', 'duplicate metric name "m", first used at line 3'),
    );
  });

  test('a judge with an unknown provider', () => {
    const judge = '  - name: judge\n    type: llm-judge\n    model: { provider: local, name: llama3 }\n    rubric: Score 1 if polite.\n';
    const project = load({ 'evals/a.eval.yaml': SUITE + judge });
    expect(only(project)).toEqual(invalidFile('evals/a.eval.yaml', 8, 24, 'metrics.1.model.provider', 'unknown provider "local"'));
  });

  test('missing suite file is reported in the prompt', () => {
    const project = load({ 'prompts/a.prompt.yaml': PROMPT.replace('a.eval.yaml', 'b.eval.yaml') });
    expect(only(project)).toEqual(invalidFile('prompts/a.prompt.yaml', 7, 7, 'eval', 'suite file evals/b.eval.yaml not found'));
  });

  test('a suite with neither dataset nor cases', () => {
    const project = load({ 'evals/a.eval.yaml': SUITE.replace('dataset: ../data/a.jsonl\n', '') });
    expect(only(project)).toEqual(invalidFile('evals/a.eval.yaml', 1, 1, undefined, 'no cases; add dataset:'));
  });
});

describe('suites, datasets and cases', () => {
  const SHARED = { 'prompts/b.prompt.yaml': PROMPT.replace('name: a', 'name: b') };

  test('a suite shared by two prompts is loaded once', () => {
    const project = load(SHARED);
    expect(project.findings).toEqual([]);
    const [a, b] = project.prompts;
    expect(a!.suite).toBe(b!.suite);
    expect(a!.suiteFile).toBe('evals/a.eval.yaml');
  });

  test('a broken shared suite breaks both prompts and is reported once', () => {
    const project = load({ ...SHARED, 'evals/a.eval.yaml': `${SUITE}repeat: 0\n` });
    expect(project.prompts).toEqual([]);
    expect(project.brokenFiles).toEqual(['prompts/a.prompt.yaml', 'prompts/b.prompt.yaml']);
    expect(project.findings).toEqual([invalidFile('evals/a.eval.yaml', 6, 9, 'repeat', 'expected a number >= 1, found the number 0')]);
  });

  test('inline suite and cases; a case without id gets a stable content id', () => {
    const prompt = `${PROMPT.replace('eval: ../evals/a.eval.yaml\n', '')}eval:
  repeat: 3
  cases:
    - vars: { q: hi }
      expected: x
    - id: named
      vars: { q: ho }
  metrics:
    - { name: m, type: equals, value: 42 }
`;
    const project = load({ 'prompts/a.prompt.yaml': prompt });
    expect(project.findings).toEqual([]);
    const loaded = project.prompts[0]!;
    expect(loaded.suiteFile).toBeUndefined();
    // sha256 of the canonical JSON {"expected":"x","vars":{"q":"hi"}}, first 10 hex characters.
    const id = `c-${createHash('sha256').update('{"expected":"x","vars":{"q":"hi"}}').digest('hex').slice(0, 10)}`;
    expect(loaded.suite).toEqual({
      file: 'prompts/a.prompt.yaml',
      repeat: 3,
      cases: [
        { id, vars: { q: 'hi' }, expected: 'x', file: 'prompts/a.prompt.yaml', line: 10 },
        { id: 'named', vars: { q: 'ho' }, file: 'prompts/a.prompt.yaml', line: 12 },
      ],
      metrics: [{ name: 'm', type: 'equals', value: '42', line: 15 }],
      gate: {},
    });
  });

  test('inline suite errors are keyed under eval', () => {
    const prompt = `${PROMPT.replace('eval: ../evals/a.eval.yaml\n', '')}eval:\n  cases: [{ vars: { q: hi }, tag: [x] }]\n  metrics: [{ name: m, type: is-json }]\n`;
    const project = load({ 'prompts/a.prompt.yaml': prompt });
    expect(only(project)).toEqual(invalidFile('prompts/a.prompt.yaml', 8, 30, 'eval.cases.0.tag', 'unknown key "tag"'));
  });

  test('JSON and YAML datasets give each case its line', () => {
    const json = load({
      'evals/a.eval.yaml': SUITE.replace('a.jsonl', 'a.json'),
      'data/a.json':
        '[\n  {"id": "one", "vars": {"q": "hi"}},\n\n  {"id": "two", "vars": {"q": "ho"}, "expected": null},\n' +
        '  {"id": "three", "vars": {"q": "a \\"[x]\\", {y} \\\\"},\n   "expected": [1, {"b": [2]}]}, {"id": "four", "vars": {}}\n]\n',
    });
    expect(json.findings).toEqual([]);
    expect(json.prompts[0]!.suite.cases).toEqual([
      { id: 'one', vars: { q: 'hi' }, file: 'data/a.json', line: 2 },
      { id: 'two', vars: { q: 'ho' }, expected: null, file: 'data/a.json', line: 4 },
      { id: 'three', vars: { q: 'a "[x]", {y} \\' }, expected: [1, { b: [2] }], file: 'data/a.json', line: 5 },
      { id: 'four', vars: {}, file: 'data/a.json', line: 6 },
    ]);
    const yaml = load({
      'evals/a.eval.yaml': SUITE.replace('a.jsonl', 'a.yml'),
      'data/a.yml': '# cases\n- id: one\n  vars: { q: hi }\n- id: two\n  vars:\n    q: ho\n  tags: [slow]\n',
    });
    expect(yaml.findings).toEqual([]);
    expect(yaml.prompts[0]!.suite.cases).toEqual([
      { id: 'one', vars: { q: 'hi' }, file: 'data/a.yml', line: 2 },
      { id: 'two', vars: { q: 'ho' }, tags: ['slow'], file: 'data/a.yml', line: 4 },
    ]);
  });

  test('a dataset that is not a list', () => {
    const project = load({ 'evals/a.eval.yaml': SUITE.replace('a.jsonl', 'a.json'), 'data/a.json': '{"vars": {}}\n' });
    expect(only(project)).toEqual(invalidFile('data/a.json', 1, 1, undefined, 'expected a list of cases'));
  });

  test('a large JSONL dataset loads every case', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) =>
      JSON.stringify({ id: `c${i}`, vars: { q: `question ${i}` }, expected: i % 2 ? 'yes' : 'no' }),
    );
    const project = load({ 'data/a.jsonl': `${lines.join('\n')}\n` });
    expect(project.findings).toEqual([]);
    const cases = project.prompts[0]!.suite.cases;
    expect(cases).toHaveLength(50_000);
    expect(caseFields(cases.at(-1))).toEqual({
      id: 'c49999',
      vars: { q: 'question 49999' },
      expected: 'yes',
      file: 'data/a.jsonl',
      line: 50_000,
    });
  });

  test('what a suite plans is bounded: repeat, and cases x repeat, each a located finding', () => {
    const huge = load({ 'evals/a.eval.yaml': SUITE.replace('metrics:', 'repeat: 1000000000\nmetrics:') });
    expect(only(huge)).toEqual(
      invalidFile('evals/a.eval.yaml', 2, 9, 'repeat', 'repeat: expected a number <= 1000, found the number 1000000000; change it'),
    );
    const lines = Array.from({ length: 1001 }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { q: 'x' } })).join('\n');
    const product = load({ 'evals/a.eval.yaml': SUITE.replace('metrics:', 'repeat: 1000\nmetrics:'), 'data/a.jsonl': lines });
    expect(only(product)).toEqual(
      invalidFile(
        'evals/a.eval.yaml',
        2,
        9,
        'repeat',
        'repeat: 1,001 cases x repeat 1000 = 1,001,000 samples, over the maximum of 1,000,000 per suite; lower repeat or split the cases into several suites',
      ),
    );
  });

  test('a dataset of more cases than a suite may run is refused at the first extra case, without reading the rest', () => {
    const lines = Array.from({ length: 1_000_002 }, (_, i) => `{"id":"c${i}","vars":{}}`);
    lines[1_000_001] = 'not json';
    const project = load({ 'data/a.jsonl': lines.join('\n') });
    expect(project.prompts).toEqual([]);
    expect(project.findings).toEqual([
      invalidFile(
        'data/a.jsonl',
        1_000_001,
        1,
        undefined,
        'more than 1,000,000 cases, the most a suite may run; split the cases into several suites',
      ),
    ]);
  });

  test('a dataset with many bad lines reports the first 20 and a count', () => {
    const project = load({ 'data/a.jsonl': '{"vars": 1}\n'.repeat(30) });
    expect(project.findings).toHaveLength(21);
    expect(project.findings[0]).toEqual(invalidFile('data/a.jsonl', 1, 10, 'vars', 'vars: expected a mapping, found the number 1'));
    expect(project.findings[20]).toEqual(invalidFile('data/a.jsonl', undefined, undefined, undefined, '10 more problems in data/a.jsonl'));
  });

  test('version: 1.0 keeps the text as written', () => {
    const project = load({ 'prompts/a.prompt.yaml': PROMPT.replace('version: 1.0.0', 'version: 1.0') });
    expect(project.prompts[0]!.version).toBe('1.0');
  });
});
