// Runs dist/index.js the way the GitHub runner does, in a checkout made the way
// actions/checkout makes it: a shallow fetch of the pull request's merge commit.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { Report } from '../../src/engine/types.js';
import type { GitHubServer, PullFile } from '../servers/github-server.js';
import type { ModelServer } from '../servers/model-server.js';

const exec = promisify(execFile);

/** The project root: the nearest folder with a package.json, wherever this file is bundled to (bench and demo run from .tmp/). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
export const REPO = { owner: 'acme', repo: 'prompts' };
export const PR_NUMBER = 7;
export const TOKEN = 'ghs_e2etoken';
/** The runner's Node for `using: node24`; CI points E2E_NODE at it. */
const NODE = process.env.E2E_NODE ?? process.execPath;

/** File path -> content; null deletes the file. */
export type Files = Record<string, string | null>;

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

async function writeFiles(dir: string, files: Files): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) await rm(full);
    else {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
  }
}

export interface PullRequestRepo {
  tmp: string;
  /** The repository the author works in (main checked out after setup). */
  source: string;
  /** The runner's checkout: the merge commit, depth 1. */
  workspace: string;
  baseSha: string;
  headSha: string;
  mergeSha: string;
  /** The pull request's files as GitHub lists them (diff from the merge-base, renames detected). */
  files: PullFile[];
}

/**
 * A bare "origin" with main (base) and feature (head) branches and GitHub's merge ref
 * refs/pull/7/merge, and a workspace checked out from it as actions/checkout does.
 * `prepareBase` runs in the source repository before the base commit, e.g. to write baselines.
 */
export async function pullRequestRepo(base: Files, head: Files, prepareBase?: (dir: string) => Promise<void>): Promise<PullRequestRepo> {
  const tmp = await mkdtemp(join(tmpdir(), 'promptgate-e2e-'));
  const origin = join(tmp, 'origin.git');
  const source = join(tmp, 'source');
  const workspace = join(tmp, 'workspace');
  await mkdir(source);
  await mkdir(workspace);
  await git(tmp, 'init', '-q', '--bare', origin);
  await git(source, 'init', '-q');
  await writeFiles(source, base);
  await prepareBase?.(source);
  await git(source, 'add', '-A');
  await git(source, 'commit', '-q', '-m', 'base');
  await git(source, 'push', '-q', origin, 'main');
  const baseSha = await git(source, 'rev-parse', 'HEAD');

  await git(source, 'checkout', '-q', '-b', 'feature');
  await writeFiles(source, head);
  await git(source, 'add', '-A');
  await git(source, 'commit', '-q', '-m', 'change');
  await git(source, 'push', '-q', origin, 'feature');
  const headSha = await git(source, 'rev-parse', 'HEAD');

  await git(source, 'checkout', '-q', '-b', 'merge', 'main');
  await git(source, 'merge', '-q', '--no-ff', '-m', `Merge ${headSha} into ${baseSha}`, 'feature');
  await git(source, 'push', '-q', origin, `HEAD:refs/pull/${PR_NUMBER}/merge`);
  const mergeSha = await git(source, 'rev-parse', 'HEAD');
  await git(source, 'checkout', '-q', 'main');

  // What actions/checkout does for a pull_request event (file:// so that depth is honoured).
  await git(workspace, 'init', '-q');
  await git(workspace, 'remote', 'add', 'origin', pathToFileURL(origin).href);
  await git(
    workspace,
    'fetch',
    '-q',
    '--no-tags',
    '--depth=1',
    'origin',
    `+refs/pull/${PR_NUMBER}/merge:refs/remotes/pull/${PR_NUMBER}/merge`,
  );
  await git(workspace, 'checkout', '-q', '--detach', `refs/remotes/pull/${PR_NUMBER}/merge`);

  const files = parseNameStatus(await git(source, 'diff', '--name-status', '-M', baseSha, headSha));
  return { tmp, source, workspace, baseSha, headSha, mergeSha, files };
}

function parseNameStatus(out: string): PullFile[] {
  const status = { A: 'added', M: 'modified', D: 'removed', R: 'renamed' } as const;
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [code, first, second] = line.split('\t') as [string, string, string | undefined];
      const s = status[code[0] as keyof typeof status];
      return s === 'renamed' ? { filename: second!, status: s, previous_filename: first } : { filename: first, status: s };
    });
}

export function pullRequestEvent(
  repo: PullRequestRepo,
  opts: { labels?: string[]; action?: string; label?: string; sender?: string } = {},
) {
  return {
    action: opts.action ?? 'synchronize',
    number: PR_NUMBER,
    pull_request: {
      number: PR_NUMBER,
      base: { sha: repo.baseSha, ref: 'main' },
      head: { sha: repo.headSha, ref: 'feature' },
      labels: (opts.labels ?? []).map((name) => ({ name })),
    },
    ...(opts.label && { label: { name: opts.label } }),
    repository: { name: REPO.repo, owner: { login: REPO.owner } },
    sender: { login: opts.sender ?? 'author' },
  };
}

/** INPUT_* variables as the runner sets them: every action.yml default, names upper-cased with dashes kept. */
async function defaultInputs(): Promise<Record<string, string>> {
  const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [
      inputVariable(name),
      (input.default ?? '').replace('${{ github.token }}', TOKEN),
    ]),
  );
}

export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  report: Report | undefined;
}

export interface RunActionOptions {
  workspace: string;
  event: { name: string; payload: object };
  inputs?: Record<string, string>;
  github: GitHubServer;
  model: ModelServer;
  sha?: string;
}

export async function runAction(opts: RunActionOptions): Promise<ActionRun> {
  const runner = await mkdtemp(join(tmpdir(), 'promptgate-runner-'));
  try {
    const paths = { event: join(runner, 'event.json'), output: join(runner, 'output'), summary: join(runner, 'summary.md') };
    await writeFile(paths.event, JSON.stringify(opts.event.payload));
    await writeFile(paths.output, '');
    await writeFile(paths.summary, '');
    const inputs = {
      ...(await defaultInputs()),
      ...Object.fromEntries(Object.entries(opts.inputs ?? {}).map(([k, v]) => [inputVariable(k), v])),
    };
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...inputs,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: opts.event.name,
      GITHUB_EVENT_PATH: paths.event,
      GITHUB_OUTPUT: paths.output,
      GITHUB_STEP_SUMMARY: paths.summary,
      GITHUB_WORKSPACE: opts.workspace,
      GITHUB_API_URL: opts.github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: `${REPO.owner}/${REPO.repo}`,
      GITHUB_SHA: opts.sha ?? '',
      RUNNER_TEMP: runner,
      ...opts.model.env(),
    };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(NODE, [join(ROOT, 'dist/index.js')], { cwd: opts.workspace, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
    const outputs = parseOutputs(await readFile(paths.output, 'utf8'));
    const reportPath = outputs.report;
    const report = reportPath ? (JSON.parse(await readFile(reportPath, 'utf8')) as Report) : undefined;
    return { code, stdout, stderr, outputs, summary: await readFile(paths.summary, 'utf8'), report };
  } finally {
    await rm(runner, { recursive: true, force: true });
  }
}

/** The runner's GITHUB_OUTPUT file: `name<<delimiter`, the value, the delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const m of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm)) outputs[m[1]!] = m[3]!;
  return outputs;
}
