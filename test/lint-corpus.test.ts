// The corpus of bad inputs (fixtures/bad/<case>/, one tiny repository each), run through the
// real engine: every problem is reported once, located, and nothing in the repository changes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { dedupeFindings } from '../src/engine/lint/index.js';
import { run } from '../src/engine/modes/run.js';
import type { Finding, RuleId, Severity } from '../src/engine/types.js';

const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../fixtures/example/', import.meta.url));

interface Expected {
  rule: RuleId;
  /** Default: error. */
  severity?: Severity;
  file: string;
  line: number | undefined;
  /** Checked when given: where the column points at the offending key or byte. */
  column?: number;
  /** A phrase of the message. */
  says: string;
}

interface CorpusCase {
  expect: Expected[];
  /** A broken config stops the run before the prompts are linted: the report holds its findings only. */
  refused?: boolean;
  /** Adds what is too big to commit to the temp copy. */
  setup?: (root: string) => void;
}

const P = 'prompts/greet.prompt.yaml';
const S = 'evals/greet.eval.yaml';
const D = 'data/greet.jsonl';
const CONFIG = 'promptgate.yaml';
const invalid = (file: string, line: number | undefined, says: string, column?: number): Expected => ({
  rule: 'invalid-file',
  file,
  line,
  says,
  ...(column !== undefined ? { column } : {}),
});

const CORPUS: Record<string, CorpusCase> = {
  // Malformed YAML.
  // The YAML parser notices an unclosed quote or flow collection where the file ends.
  'prompt-yaml-malformed': {
    expect: [invalid(P, 11, 'not valid YAML: missing closing "quote (line 11, column 1); fix the syntax there', 1)],
  },
  'suite-yaml-malformed': { expect: [invalid(S, 5, 'not valid YAML: sequence item without - indicator', 1)] },
  'config-yaml-malformed': {
    refused: true,
    expect: [invalid(CONFIG, 4, 'not valid YAML: flow map in block collection must be sufficiently indented and end with a }', 1)],
  },
  // Wrong types.
  'prompt-model-wrong-type': { expect: [invalid(P, 3, 'model: expected a mapping, found the text "gpt-4o-2024-11-20"', 8)] },
  'suite-repeat-too-large': {
    expect: [invalid(S, 2, 'repeat: expected a number <= 1000, found the number 1000000000; change it', 9)],
  },
  'suite-repeat-wrong-type': { expect: [invalid(S, 2, 'repeat: expected a number, found the text "three"; change it to a number', 9)] },
  'case-vars-wrong-type': { expect: [invalid(D, 2, 'vars: expected a mapping, found the text "Bob"; change it to a mapping', 23)] },
  'message-role-invalid': { expect: [invalid(P, 8, 'expected one of "system", "user", "assistant", found the text "human"', 11)] },
  // Unknown keys.
  'prompt-unknown-key': { expect: [invalid(P, 10, 'unknown key "temprature"', 1)] },
  'suite-unknown-key': { expect: [invalid(S, 2, 'unknown key "repeats"', 1)] },
  'metric-unknown-key': { expect: [invalid(S, 5, 'unknown key "value"', 5)] },
  'case-unknown-key': {
    expect: [invalid(D, 2, 'expect: unknown key "expect"; expected one of: id, vars, expected, tags; remove it or fix its spelling', 42)],
  },
  'prompt-duplicate-key': {
    expect: [invalid(P, 10, 'duplicate key "version" (line 10, column 1): a key may appear once in a mapping; keep one of them', 1)],
  },
  'config-unknown-key': { refused: true, expect: [invalid(CONFIG, 2, 'unknown key "budgets"', 1)] },
  // Metrics.
  'metric-unknown-type': { expect: [invalid(S, 4, 'metrics.0.type: unknown metric type "fuzzy-match"; expected one of equals,', 11)] },
  'metric-invalid-regex': {
    expect: [invalid(S, 5, 'metrics.0.value: invalid regular expression "(hello|hi": missing closing ): `(hello|hi`; fix the pattern', 12)],
  },
  // RE2 syntax: linear-time matching has no lookaround or backreferences.
  'metric-regex-lookahead': {
    expect: [
      invalid(
        S,
        5,
        'metrics.0.value: invalid regular expression "(?i)sorry(?!, here)": lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported',
        12,
      ),
    ],
  },
  // Files named by other files.
  'dataset-missing': {
    expect: [
      invalid(
        S,
        1,
        'dataset: dataset file data/greeting.jsonl not found ("../data/greeting.jsonl" is relative to evals/); fix the path or add the file',
        10,
      ),
    ],
  },
  'schema-missing': { expect: [invalid(S, 5, 'metrics.0.schema: schema file schemas/greeting.json not found', 13)] },
  'scorer-missing': { expect: [invalid(S, 5, 'metrics.0.path: script file scorers/tone.mjs not found', 11)] },
  'eval-file-missing': { expect: [invalid(P, 10, 'eval: suite file evals/greeting.eval.yaml not found', 7)] },
  // Templates.
  'include-missing': {
    expect: [
      invalid(P, 9, 'Template "partials/tone.njk" not found (looked relative to the prompt file, then the repo root): create that file'),
    ],
  },
  'include-cycle': {
    expect: [invalid('partials/b.njk', 3, 'partials/a.njk → partials/b.njk → partials/a.njk. Remove one of these includes')],
  },
  'template-syntax-error': { expect: [invalid(P, 9, 'Template syntax error')] },
  'include-syntax-error': { expect: [invalid('partials/tone.njk', 1, 'expected elif, else, or endif')] },
  // Datasets.
  'case-duplicate-ids': { expect: [invalid(D, 3, 'id: duplicate case id "ada", first used at line 1; give each case its own id', 8)] },
  'jsonl-broken-line': { expect: [invalid(D, 2, "not valid JSON: expected ',' or '}' after property value (line 2, column 59)", 59)] },
  'json-dataset-not-array': { expect: [invalid('data/greet.json', 1, 'expected a list of cases', 1)] },
  // Encodings and sizes.
  'non-utf8-prompt': { expect: [invalid(P, 9, 'is not valid UTF-8 (first bad byte at line 9); re-save it as UTF-8', 45)] },
  'empty-suite': { expect: [invalid(S, 1, 'evals/greet.eval.yaml is empty; expected a YAML document', 1)] },
  'huge-prompt': {
    setup: (root) => writeFileSync(join(root, 'prompts/huge.prompt.yaml'), `name: huge\n${'# padding\n'.repeat(150_000)}`),
    expect: [invalid('prompts/huge.prompt.yaml', undefined, 'over the 1 MiB limit')],
  },
  // Undefined variables: located at the first case that lacks it, naming where the template uses it.
  'undefined-var-top-level': { expect: [undefinedVariable('company', `${P}:9`)] },
  'undefined-var-loop': { expect: [undefinedVariable('items', `${P}:9`)] },
  'undefined-var-conditional': { expect: [undefinedVariable('vip', `${P}:9`)] },
  'undefined-var-include': { expect: [undefinedVariable('agent', 'partials/sign.njk:2')] },
  // Models.
  'floating-gpt-4o': { expect: [unpinned(P, 5, 'pin gpt-4o-2024-11-20')] },
  'floating-claude-haiku-4-5': { expect: [unpinned(P, 5, 'pin claude-haiku-4-5-20251001')] },
  'floating-chatgpt-4o-latest': { expect: [unpinned(P, 5, 'pin a dated snapshot of it')] },
  'floating-claude-3-7-sonnet-latest': { expect: [unpinned(P, 5, 'pin a dated snapshot of it')] },
  'floating-judge': { expect: [unpinned(S, 8, 'judge model "claude-haiku-4-5" of metric "polite"')] },
  'model-unverified': {
    expect: [{ rule: 'model-unverified', severity: 'warning', file: P, line: 5, says: 'add it to pinning.allow in promptgate.yaml' }],
  },
  'provider-unknown': {
    expect: [
      invalid(
        P,
        4,
        'model.provider: unknown provider "mistral"; expected one of openai, anthropic; fix the name or declare it under providers: in promptgate.yaml',
        13,
      ),
    ],
  },
  // Versions (no base needed).
  'version-not-semver': {
    expect: [{ rule: 'version-invalid', file: P, line: 2, says: 'is not semver: write MAJOR.MINOR.PATCH, e.g. 2.0.0' }],
  },
  // Prompt structure.
  'prompt-duplicate-name': {
    expect: [
      {
        rule: 'duplicate-name',
        file: 'prompts/hello.prompt.yaml',
        line: 1,
        column: 7,
        says: 'name "greet" is already used by prompts/greet.prompt.yaml (line 1); prompt names must be unique, rename one',
      },
    ],
  },
  'messages-and-template': {
    expect: [invalid(P, 10, 'template: a prompt takes either messages or template (short for one user message), not both; remove one', 11)],
  },
  'eval-key-missing': { expect: [invalid(P, 1, 'eval: expected a path to a suite file', 1)] },
  'prompt-name-invalid': { expect: [invalid(P, 1, 'expected lowercase letters, digits and dashes', 7)] },
  // Config values.
  'config-concurrency-zero': { refused: true, expect: [invalid(CONFIG, 2, 'concurrency: expected a number >= 1, found the number 0', 14)] },
  'config-alpha-two': { refused: true, expect: [invalid(CONFIG, 4, 'gate.alpha: expected a number < 1, found the number 2', 10)] },
  'config-provider-no-type': {
    refused: true,
    expect: [invalid(CONFIG, 3, 'providers.local: provider "local" has no type; add type: openai or type: anthropic', 5)],
  },
  // A partial shared by two prompts through one suite: the same finding once.
  'shared-suite-undefined-var': { expect: [undefinedVariable('agent', 'partials/sign.njk:1')] },
  // Two independent problems in different files: both are reported.
  'multi-malformed-prompt-and-bad-regex': {
    expect: [invalid(P, 4, 'not valid YAML', 1), invalid('evals/farewell.eval.yaml', 5, 'invalid regular expression "(bye|ciao"', 12)],
  },
  'multi-unknown-key-and-broken-jsonl': {
    expect: [
      invalid(P, 10, 'descripton: unknown key "descripton"; expected one of: name, version, description,', 1),
      invalid('data/farewell.jsonl', 3, 'not valid JSON', 42),
    ],
  },
  'multi-floating-and-undefined-var': { expect: [unpinned(P, 5, 'pin gpt-4o-2024-11-20'), undefinedVariable('language', `${P}:9`)] },
  'multi-missing-schema-and-syntax': { expect: [invalid(P, 9, 'Template syntax error'), invalid(S, 5, 'schemas/greeting.json', 13)] },
  // Versions against a base commit (base/ and head/ folders).
  'version-lower-than-base': {
    expect: [
      { rule: 'version-invalid', file: P, line: 2, says: 'is lower than the base version 1.2.0: versions only go up; use 1.2.1 or higher' },
    ],
  },
  'version-not-bumped-text': { expect: [notBumped(P, 'greet', 'messages')] },
  'version-not-bumped-model': { expect: [notBumped(P, 'greet', 'model openai/gpt-4o-2024-08-06 -> openai/gpt-4o-2024-11-20')] },
  'version-not-bumped-shared-partial': {
    expect: [
      notBumped('prompts/farewell.prompt.yaml', 'farewell', 'included file partials/tone.njk'),
      notBumped(P, 'greet', 'included file partials/tone.njk'),
    ],
  },
};

function undefinedVariable(name: string, usedAt: string): Expected {
  return {
    rule: 'template-undefined-variable',
    file: D,
    line: 1,
    says: `variable "${name}" (${usedAt}) is missing from 2 cases, e.g. ada (${D}:1), bob: add "${name}" to their vars`,
  };
}

function unpinned(file: string, line: number, says: string): Expected {
  return { rule: 'model-unpinned', file, line, says };
}

function notBumped(file: string, name: string, what: string): Expected {
  return { rule: 'version-not-bumped', file, line: 2, says: `prompt "${name}" changed since the base (${what})` };
}

// ---------- temp copies ----------

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'promptgate-corpus-'));
  temps.push(dir);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=corpus', '-c', 'user.email=corpus@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** A temp copy of a case. A case with base/ and head/ becomes a git repo committing base/ then head/; `base` is the first commit. */
function materialize(name: string): { root: string; base?: { sha: string; ref: string } } {
  const from = join(BAD, name);
  const root = tempDir();
  if (!existsSync(join(from, 'base'))) {
    cpSync(from, root, { recursive: true });
    return { root };
  }
  git(root, 'init', '-q');
  cpSync(join(from, 'base'), root, { recursive: true });
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  const sha = git(root, 'rev-parse', 'HEAD');
  for (const entry of readdirSync(root)) if (entry !== '.git') rmSync(join(root, entry), { recursive: true });
  cpSync(join(from, 'head'), root, { recursive: true });
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'head');
  return { root, base: { sha, ref: 'base' } };
}

/** Path -> sha256 of every file under `root` (git's own files aside): what a run must leave as it found it. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const full = join(entry.parentPath, entry.name);
    const path = relative(root, full);
    if (!entry.isFile() || path === '.git' || path.startsWith('.git/')) continue;
    files[path] = createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return files;
}

// ---------- matching ----------

function matches(e: Expected, f: Finding): boolean {
  return (
    f.rule === e.rule &&
    f.severity === (e.severity ?? 'error') &&
    f.file === e.file &&
    f.line === e.line &&
    (e.column === undefined || f.column === e.column) &&
    f.message.includes(e.says)
  );
}

/** Each expected finding matches exactly one reported finding, and nothing else is reported. */
function expectFindings(findings: Finding[], expected: Expected[]): void {
  const rest = [...findings];
  for (const e of expected) {
    const i = rest.findIndex((f) => matches(e, f));
    if (i === -1) {
      // Fails, showing what was reported beside what was expected.
      const { says, ...where } = e;
      expect(findings).toContainEqual({ ...where, severity: e.severity ?? 'error', message: `…${says}…` });
    }
    rest.splice(i, 1);
  }
  expect(rest, 'unexpected findings').toEqual([]);
}

// ---------- the corpus ----------

describe('fixtures/bad corpus', () => {
  it('has a folder for every case in the table and a case for every folder', () => {
    const folders = readdirSync(BAD).sort();
    expect(folders).toEqual(Object.keys(CORPUS).sort());
    expect(folders.length).toBeGreaterThanOrEqual(40);
  });

  it('includes at least three cases with two problems in different files', () => {
    const multi = Object.values(CORPUS).filter((c) => new Set(c.expect.map((e) => e.file)).size >= 2);
    expect(multi.length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.entries(CORPUS))('%s', async (name, { expect: expected, refused, setup }) => {
    const { root, base } = materialize(name);
    setup?.(root);
    const before = snapshot(root);
    expect(Object.keys(before)).toContain(existsSync(join(root, S)) ? S : P);

    const report = await run({ root, mode: 'lint', env: {}, ...(base ? { base } : {}) });
    expectFindings(report.lint, expected);
    expect(report.result).toBe(expected.some((e) => (e.severity ?? 'error') === 'error') ? 'fail' : 'pass');
    if (refused) {
      expect(report.stopped).toBe('invalid-config');
      expect(report.errors).toEqual([expect.stringContaining('the run stopped before linting the prompts or calling any model')]);
    } else {
      expect(report.stopped).toBeUndefined();
    }

    // Nothing was written or lost.
    expect(snapshot(root)).toEqual(before);
  });
});

describe('dedupeFindings', () => {
  it('keeps the first of findings with the same rule, file, line and message', () => {
    const finding = (rule: RuleId, line: number, message: string): Finding => ({ rule, severity: 'error', file: D, line, message });
    const findings = [
      finding('invalid-file', 1, 'a'),
      finding('invalid-file', 2, 'a'),
      { ...finding('invalid-file', 1, 'a'), column: 9 },
      finding('template-undefined-variable', 1, 'a'),
      finding('invalid-file', 1, 'b'),
      { ...finding('invalid-file', 2, 'a'), file: S },
    ];
    expect(dedupeFindings(findings)).toEqual([findings[0], findings[1], findings[3], findings[4], findings[5]]);
  });
});

// ---------- the CLI ----------

describe('promptgate lint on the corpus', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs main() capturing what it prints. */
  async function lint(cwd: string, args: string[] = []): Promise<{ code: number; output: string }> {
    let output = '';
    const capture = (chunk: string | Uint8Array): boolean => {
      output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const code = await main(['lint', ...args], {}, cwd);
    vi.restoreAllMocks();
    return { code, output };
  }

  it('prints one located line per problem and exits 1, without a stack trace', async () => {
    const { root } = materialize('multi-floating-and-undefined-var');
    const { code, output } = await lint(root);
    expect(code).toBe(1);
    const located = output.split('\n').filter((l) => /^\S+:\d+(:\d+)?: (error|warning) \[/.test(l));
    expect(located.map((l) => l.replace(/\] .*/, ']'))).toEqual([
      `${P}:5: error [model-unpinned]`,
      `${D}:1: error [template-undefined-variable]`,
    ]);
    expect(located[0]).toContain('pin gpt-4o-2024-11-20');
    expect(located[1]).toContain('add "language" to their vars');
    expect(output).toMatch(/^FAIL: 2 findings; 0 calls/m);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('exits 2 on a broken config, naming the file, line and column', async () => {
    const { root } = materialize('config-alpha-two');
    const { code, output } = await lint(root);
    expect(code).toBe(2);
    expect(output).toContain('promptgate.yaml:4:10: error [invalid-file] gate.alpha:');
    expect(output).toContain('error: 1 configuration error (see the findings on promptgate.yaml): the run stopped before linting');
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('exits 2 when --config names a file that does not exist, instead of running on the defaults', async () => {
    const root = tempDir();
    cpSync(EXAMPLE, root, { recursive: true });
    const { code, output } = await lint(root, ['--config', 'ci/promptgate.yaml']);
    expect(code).toBe(2);
    expect(output).toContain('ci/promptgate.yaml: error [invalid-file] config file ci/promptgate.yaml not found');
    expect(output).toContain('the run stopped before linting the prompts');
  });

  it('exits 0 on fixtures/example', async () => {
    const root = tempDir();
    cpSync(EXAMPLE, root, { recursive: true });
    const { code, output } = await lint(root);
    expect(output).not.toMatch(/: error \[/);
    expect(code).toBe(0);
  });
});
