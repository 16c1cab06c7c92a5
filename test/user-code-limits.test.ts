// User code is bounded: regexes match in linear time, scorer scripts run in a worker with a
// timeout and a memory cap. Each case runs the built CLI (`node dist/cli.js eval`) in a
// temporary repository where the prompts are new, against the echoing loopback model,
// beside a healthy prompt that must still be evaluated.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/engine/types.js';
import { ROOT } from './e2e/harness.js';
import { tempRepo, type TempRepo } from './helpers/example-repo.js';
import { startModelServer, type ModelServer } from './servers/model-server.js';

const exec = promisify(execFile);
const NO_STACK = /^\s+at /m;

let server: ModelServer;
const repos: TempRepo[] = [];
beforeAll(async () => {
  // Echoes the user message: a case's `text` is the output its metrics score.
  server = await startModelServer();
});
afterEach(async () => {
  server.reset();
  await Promise.all(repos.splice(0).map((r) => r.remove()));
});
afterAll(async () => {
  await server.close();
});

/** A prompt that echoes `text`, with an inline suite of `cases` (texts) and `metrics` (YAML flow mappings). */
function echoPrompt(name: string, cases: string[], metrics: string[]): string {
  return [
    `name: ${name}`,
    'version: 1.0.0',
    'model: { provider: openai, name: gpt-4o-2024-11-20, temperature: 0 }',
    'template: "{{ text }}"',
    'eval:',
    '  cases:',
    ...cases.map((text, i) => `    - { id: c${i}, vars: { text: ${JSON.stringify(text)} } }`),
    '  metrics:',
    ...metrics.map((m) => `    - ${m}`),
    '',
  ].join('\n');
}

const HEALTHY = echoPrompt('healthy', ['hello'], ['{ name: greets, type: contains, value: hello }']);

/** Adds `files` and the healthy prompt to a repository and runs `promptgate eval --json` with the built binary. */
async function evalNew(files: Record<string, string>): Promise<{ code: number; output: string; report: Report }> {
  const repo = await tempRepo({ 'promptgate.yaml': 'concurrency: 4\n' });
  repos.push(repo);
  await repo.edit({ 'prompts/healthy.prompt.yaml': HEALTHY, ...files });
  const json = join(repo.scratch, 'report.json');
  const { code, stdout, stderr } = await exec(process.execPath, [join(ROOT, 'dist/cli.js'), 'eval', '--json', json], {
    cwd: repo.dir,
    env: { PATH: process.env.PATH ?? '', ...server.env() },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
  if (!existsSync(json)) throw new Error(`no report (exit ${code}):\n${stdout}${stderr}`);
  return { code, output: stdout + stderr, report: JSON.parse(await readFile(json, 'utf8')) as Report };
}

const promptIn = (report: Report, name: string) => report.prompts.find((p) => p.name === name);

/** The run's only finding: an invalid-file error at `key` of the echo prompt's metric (line 9). */
function expectMetricFinding(report: Report, key: string, message: unknown): void {
  expect(report.lint).toEqual([
    expect.objectContaining({ rule: 'invalid-file', file: 'prompts/echo.prompt.yaml', line: 9, key: `eval.metrics.0.${key}`, message }),
  ]);
}

describe('regexes', () => {
  it('a catastrophic pattern on a long output is scored, and the run goes on', async () => {
    const long = `${'a'.repeat(50_000)}!`;
    const { code, output, report } = await evalNew({
      'prompts/echo.prompt.yaml': echoPrompt(
        'echo',
        [long, 'aaa'],
        ['{ name: no_run_of_a, type: not-regex, value: "(a+)+$" }', '{ name: words, type: regex, value: "^(\\\\w+\\\\s?)*$" }'],
      ),
    });
    expect(output).not.toMatch(NO_STACK);
    expect(code).toBe(0);
    const echo = promptIn(report, 'echo');
    expect(echo?.status).toBe('new');
    // The long output does not end in a run of a's; "aaa" does. Neither errors.
    expect(echo?.metrics.find((m) => m.name === 'no_run_of_a')).toMatchObject({ candidate: 0.5, n: 2 });
    expect(echo?.metrics.find((m) => m.name === 'words')).toMatchObject({ candidate: 0.5, n: 2 });
    expect(echo?.cases.errored).toEqual([]);
    expect(promptIn(report, 'healthy')?.metrics[0]).toMatchObject({ name: 'greets', candidate: 1 });
  });

  it('a pattern RE2 cannot run is a located finding that says what to do; the healthy prompt is still evaluated', async () => {
    const { code, output, report } = await evalNew({
      'prompts/echo.prompt.yaml': echoPrompt('echo', ['x'], ['{ name: twice, type: regex, value: "(\\\\w+) \\\\1" }']),
    });
    expect(output).not.toMatch(NO_STACK);
    expect(code).toBe(1);
    expectMetricFinding(
      report,
      'value',
      expect.stringContaining('backreferences (\\1, \\k<name>) are not supported: promptgate matches in linear time'),
    );
    expect(output).toMatch(
      /^prompts\/echo\.prompt\.yaml:9:\d+: error \[invalid-file\] eval\.metrics\.0\.value: invalid regular expression/m,
    );
    expect(promptIn(report, 'healthy')?.metrics[0]).toMatchObject({ name: 'greets', candidate: 1 });
  });
});

describe('scorer scripts', () => {
  const HOSTILE = [
    'export default async ({ output }) => {',
    '  if (output === "loop") for (;;);',
    '  if (output === "never") return new Promise(() => {});',
    '  if (output === "bomb") { const held = []; for (;;) held.push(new Array(100_000).fill(Math.random())); }',
    '  if (output === "throw") return JSON.parse("{");',
    '  return 1;',
    '};',
    '',
  ].join('\n');

  it('an endless loop, a promise that never settles, a memory bomb and an exception each error their sample; the run goes on', async () => {
    // Healthy outputs in between: three stops in a row would stop running the script at all.
    const texts = ['fine', 'loop', 'fine', 'bomb', 'fine', 'never', 'fine', 'throw'];
    const { code, output, report } = await evalNew({
      'scorers/hostile.mjs': HOSTILE,
      'prompts/echo.prompt.yaml': echoPrompt('echo', texts, [
        '{ name: judged, type: script, path: ../scorers/hostile.mjs, timeout_ms: 3000, memory_mb: 32 }',
      ]),
    });
    expect(output).not.toMatch(NO_STACK);
    expect(code).toBe(1);
    const echo = promptIn(report, 'echo')!;
    expect(echo.status).toBe('error');
    expect(echo.samples).toBe(texts.length);
    expect([...echo.cases.errored].sort()).toEqual(['c1', 'c3', 'c5', 'c7']);
    const errorOf = (id: string) => [...echo.details].find((d) => d.id === id)?.error;
    expect(errorOf('c1')).toContain('judged: scorer script scorers/hostile.mjs did not finish scoring within 3000 ms');
    expect(errorOf('c3')).toContain('judged: scorer script scorers/hostile.mjs ran out of memory while scoring (over its 32 MB heap)');
    expect(errorOf('c5')).toContain('judged: scorer script scorers/hostile.mjs did not finish scoring within 3000 ms');
    expect(errorOf('c7')).toMatch(/judged: scorer script scorers\/hostile\.mjs threw SyntaxError: .* \(at scorers\/hostile\.mjs:5:\d+\)/);
    expect(echo.metrics.find((m) => m.name === 'judged')).toMatchObject({ candidate: 0.5, n: texts.length });
    expect(promptIn(report, 'healthy')?.metrics[0]).toMatchObject({ name: 'greets', candidate: 1 });
  });

  it('a script metric with limits out of bounds is a located finding', async () => {
    const { code, report } = await evalNew({
      'scorers/hostile.mjs': HOSTILE,
      'prompts/echo.prompt.yaml': echoPrompt(
        'echo',
        ['fine'],
        ['{ name: judged, type: script, path: ../scorers/hostile.mjs, memory_mb: 4 }'],
      ),
    });
    expect(code).toBe(1);
    expectMetricFinding(report, 'memory_mb', 'eval.metrics.0.memory_mb: expected a number >= 16, found the number 4; change it');
  });
});
