// `init`, `eval --all`, `--prompt` and the configuration errors a newcomer meets first, end to
// end in temporary repositories with the loopback model server. Exit code and first line each.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG, GITIGNORE_LINES, WORKFLOW } from '../src/cli/init/files.js';
import type { Report } from '../src/engine/types.js';
import { git, ROOT } from './e2e/harness.js';
import { runCli } from './helpers/cli.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { initExampleModel } from './helpers/init-model.js';

const fixture = useExampleFixture();
const firstLine = (text: string) => text.split('\n')[0];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A new git repository with no commit yet. */
async function emptyRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'promptgate-init-'));
  dirs.push(dir);
  await git(dir, 'init', '-q');
  return dir;
}

async function evalReport(dir: string, args: string[]) {
  // Outside the repository, so that it is not an untracked file of the run; removed after the test.
  const out = await mkdtemp(join(tmpdir(), 'promptgate-init-report-'));
  dirs.push(out);
  const json = join(out, 'report.json');
  const run = await runCli(['eval', ...args, '--json', json], fixture.server.env(), dir);
  return { ...run, report: existsSync(json) ? (JSON.parse(await readFile(json, 'utf8')) as Report) : undefined };
}

describe('promptgate init', () => {
  it('writes a starting point, then never overwrites it', async () => {
    const dir = await emptyRepo();
    const first = await runCli(['init'], {}, dir);
    expect(first.code).toBe(0);
    expect(firstLine(first.stdout)).toBe('created  promptgate.yaml');
    expect(await readFile(join(dir, 'promptgate.yaml'), 'utf8')).toBe(CONFIG);
    expect(await readFile(join(dir, '.github/workflows/promptgate.yml'), 'utf8')).toBe(WORKFLOW);
    expect((await readFile(join(dir, '.gitignore'), 'utf8')).split('\n')).toEqual([...GITIGNORE_LINES, '']);

    await writeFile(join(dir, 'promptgate.yaml'), 'concurrency: 2\n');
    const second = await runCli(['init'], {}, dir);
    expect(second.code).toBe(0);
    expect(firstLine(second.stdout)).toBe('kept     promptgate.yaml (exists)');
    expect(second.stdout).toContain('kept     .gitignore (already ignores the cache and the report)');
    expect(await readFile(join(dir, 'promptgate.yaml'), 'utf8')).toBe('concurrency: 2\n');
  });

  it('adds only the missing .gitignore lines to an existing .gitignore', async () => {
    const dir = await emptyRepo();
    await writeFile(join(dir, '.gitignore'), 'node_modules/\n.promptgate/cache/');
    const { stdout } = await runCli(['init'], {}, dir);
    expect(stdout).toContain('updated  .gitignore (+ promptgate-report.json)');
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n.promptgate/cache/\npromptgate-report.json\n');
  });

  it('writes the pull-request workflow the README shows', async () => {
    expect(await readFile(join(ROOT, 'README.md'), 'utf8')).toContain(WORKFLOW);
  });

  it('then eval --all works before the first commit: every prompt on its own', async () => {
    const dir = await emptyRepo();
    await runCli(['init'], {}, dir);
    fixture.server.handle(initExampleModel);
    const { code, stdout, report } = await evalReport(dir, ['--all']);
    expect(code).toBe(0);
    expect(firstLine(stdout)).toBe('ok   review-sentiment (added, new)');
    expect(report?.prompts.map((p) => [p.name, p.status, p.metrics[0]?.candidate])).toEqual([['review-sentiment', 'new', 1]]);
    expect(fixture.server.calls).toHaveLength(6);
  });
});

describe('eval --all and --prompt', () => {
  it('--all on a clean tree evaluates every prompt (change: unchanged)', async () => {
    const repo = await fixture.repo();
    const { code, report } = await evalReport(repo.dir, ['--all']);
    expect(code).toBe(0);
    expect(report?.prompts.map((p) => [p.name, p.change, p.status])).toEqual([
      ['intent-classifier', 'unchanged', 'new'],
      ['support-refund', 'unchanged', 'new'],
      ['ticket-summary', 'unchanged', 'new'],
    ]);
  });

  it('--prompt NAME evaluates that prompt even when the change does not touch it', async () => {
    const repo = await fixture.repo();
    const { code, stdout, report } = await evalReport(repo.dir, ['--prompt', 'intent-classifier']);
    expect(code).toBe(0);
    expect(firstLine(stdout)).toBe('ok   intent-classifier (unchanged, new)');
    expect(report?.prompts.map((p) => p.name)).toEqual(['intent-classifier']);
  });

  it('--prompt with an unknown name is a usage error listing the names', async () => {
    const repo = await fixture.repo();
    const { code, stdout, stderr } = await runCli(['eval', '--prompt', 'nope'], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('promptgate: No prompt is named "nope"; the prompts are: intent-classifier, support-refund, ticket-summary.\n');
    expect(fixture.server.calls).toHaveLength(0);
  });
});

describe('a gate that finds nothing never passes', () => {
  it('globs in promptgate.yaml that match no file are a configuration error naming them', async () => {
    const repo = await fixture.repo();
    await repo.edit({
      'promptgate.yaml': (old) => old.replace('prompts: ["prompts/**/*.prompt.yaml"]', 'prompts: ["prompt/*.prompt.yaml"]'),
    });
    const { code, stdout } = await runCli(['eval', '--all'], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(firstLine(stdout)).toBe(
      'promptgate.yaml: error [invalid-file] prompts: "prompt/*.prompt.yaml" matches no file; fix the glob, or add prompt files (<name>.prompt.yaml) it matches',
    );
  });

  it('a repository without promptgate.yaml or prompts: the default glob is named', async () => {
    const repo = await fixture.repo({ 'prompts/classify.yaml': 'name: classify\n' });
    const { code, stdout } = await runCli(['lint'], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(firstLine(stdout)).toBe(
      'promptgate.yaml: error [invalid-file] there is no promptgate.yaml and no prompt file matches the default glob "prompts/**/*.prompt.yaml": ' +
        'name prompt files prompts/<name>.prompt.yaml, set prompts: in a promptgate.yaml, or run promptgate init for a working example',
    );
  });
});

describe('exit codes: a broken promptgate.yaml stops the run (2), a broken suite is a finding (1)', () => {
  it('a broken suite is a lint error reported beside the other prompts', async () => {
    const repo = await fixture.repo();
    await repo.edit({ 'evals/ticket-summary.eval.yaml': (old) => old.replace('type: is-json', 'type: is-jsn') });
    const { code, stdout, report } = await evalReport(repo.dir, ['--all']);
    expect(code).toBe(1);
    expect(firstLine(stdout)).toMatch(/^evals\/ticket-summary\.eval\.yaml:\d+(:\d+)?: error \[invalid-file\] /);
    expect(report?.prompts.map((p) => [p.name, p.status])).toEqual([
      ['intent-classifier', 'new'],
      ['support-refund', 'new'],
    ]);
  });

  it('a broken promptgate.yaml stops before any call, its findings in the report', async () => {
    const repo = await fixture.repo();
    await repo.edit({ 'promptgate.yaml': (old) => `${old}concurency: 3\n` });
    const { code, stdout, report } = await evalReport(repo.dir, ['--all']);
    expect(code).toBe(2);
    expect(firstLine(stdout)).toMatch(/^promptgate\.yaml:5:1: error \[invalid-file\] concurency: unknown key/);
    expect(report).toMatchObject({ result: 'fail', stopped: 'invalid-config', prompts: [] });
    expect(fixture.server.calls).toHaveLength(0);
  });
});
