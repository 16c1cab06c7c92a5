// The action end to end: `node dist/index.js` with the runner's environment, in a shallow
// checkout of a pull request's merge commit, against loopback GitHub and model servers.
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comment-format.js';
import { startGitHubServer, type GitHubServer, type GitHubServerOptions } from '../servers/github-server.js';
import { lastUserMessage, startModelServer, TEST_OPENAI_KEY, type ModelCall, type ModelServer } from '../servers/model-server.js';
import { PR_NUMBER, pullRequestEvent, pullRequestRepo, REPO, runAction, TOKEN, type Files, type PullRequestRepo } from './harness.js';

// ---------- the user's repository ----------

const CONFIG = 'prompts: ["prompts/**/*.prompt.yaml"]\nconcurrency: 4\n';
const WORDS = ['alpha', 'bravo', 'charlie', 'delta'];

/** Repeats a word; the model server answers badly when the system prompt says BROKEN. */
function greetPrompt(version: string, instruction: string): string {
  return `name: greet
version: ${version}
description: Repeats the word it is asked for.
model:
  provider: openai
  name: gpt-4o-2024-11-20
  temperature: 0
messages:
  - role: system
    content: |
      {% include "partials/tone.njk" %}
      ${instruction}
  - role: user
    content: "Say {{ word }}"
eval:
  cases:
${WORDS.map((w) => `    - { id: ${w}, vars: { word: ${w} }, expected: ${w} }`).join('\n')}
  metrics:
    - name: accuracy
      type: icontains
      value: "{{ expected }}"
`;
}

const SUMMARIZE = `name: summarize
version: 1.0.0
model: { provider: openai, name: gpt-4o-2024-11-20, temperature: 0 }
messages:
  - role: user
    content: "Summarize: {{ text }}"
eval:
  cases:
    - { id: one, vars: { text: hello }, expected: hello }
  metrics:
    - { name: mentions, type: contains, value: "{{ expected }}" }
`;

const GOOD = 'Repeat the word exactly.';
const BROKEN = 'BROKEN: ignore the request.';

function project(greet: string): Files {
  return {
    'promptgate.yaml': CONFIG,
    'prompts/greet.prompt.yaml': greet,
    'prompts/summarize.prompt.yaml': SUMMARIZE,
    'partials/tone.njk': 'Be polite.',
    'README.md': '# prompts\n',
    '.gitignore': '.promptgate/cache/\npromptgate-report.json\n',
  };
}

function systemText(call: ModelCall): string {
  return [call.system ?? '', ...call.messages.filter((m) => m.role === 'system').map((m) => m.content)].join('\n');
}

const isGreet = (call: ModelCall) => lastUserMessage(call).startsWith('Say ');

// ---------- harness ----------

let model: ModelServer;
let github: GitHubServer | undefined;
const repos: PullRequestRepo[] = [];

beforeAll(async () => {
  model = await startModelServer((call) => ({ text: systemText(call).includes('BROKEN') ? 'I would rather not.' : lastUserMessage(call) }));
});
afterAll(async () => {
  await model.close();
  await Promise.all(repos.map((r) => rm(r.tmp, { recursive: true, force: true })));
});
afterEach(async () => {
  model.reset();
  await github?.close();
  github = undefined;
});

async function pullRequest(base: Files, head: Files, server: GitHubServerOptions = {}, prepareBase?: (dir: string) => Promise<void>) {
  const repo = await pullRequestRepo(base, head, prepareBase);
  repos.push(repo);
  github = await startGitHubServer({ files: repo.files, ...server });
  return repo;
}

function runOnPullRequest(repo: PullRequestRepo, inputs: Record<string, string> = {}, event: Parameters<typeof pullRequestEvent>[1] = {}) {
  return runAction({
    workspace: repo.workspace,
    event: { name: 'pull_request', payload: pullRequestEvent(repo, event) },
    inputs,
    github: github!,
    model,
    sha: repo.mergeSha,
  });
}

const writes = (s: GitHubServer) => s.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
const fileRequests = (s: GitHubServer) => s.requests.filter((r) => r.path === `/repos/${REPO.owner}/${REPO.repo}/pulls/${PR_NUMBER}/files`);

// ---------- scenarios ----------

describe('the action on a pull request', () => {
  it('fails a regression with exactly one comment, and a second run updates that comment', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', GOOD)), { 'prompts/greet.prompt.yaml': greetPrompt('1.1.0', BROKEN) });
    const first = await runOnPullRequest(repo);

    expect(first.code).toBe(1);
    expect(first.outputs).toMatchObject({ result: 'fail', regressions: '1', evaluated: '1', 'cost-usd': expect.stringMatching(/^\d/) });
    expect(first.stdout).toContain(
      '::error::1 metric regressed in greet (accuracy). Fix the prompt, or add the label "promptgate:accept" to accept the regression.',
    );
    // Workflow commands escape ':' and ',' in properties, '%' everywhere.
    expect(first.stdout).toContain(
      '::error title=promptgate%3A greet regressed,file=prompts/greet.prompt.yaml::Regressed: accuracy 100.0%25 → 0.0%25',
    );
    expect(first.report).toMatchObject({
      schema: 'promptgate/report@1',
      result: 'fail',
      base: { sha: repo.baseSha },
      head: { sha: repo.headSha },
    });
    expect(first.report?.prompts.map((p) => [p.name, p.status, p.baseline.source])).toEqual([['greet', 'regressed', 'rerun']]);
    // Base version rerun on the head suite, then the head version: four cases each.
    expect(model.calls.filter(isGreet)).toHaveLength(8);
    expect(model.calls.every((c) => c.headers.authorization === `Bearer ${TEST_OPENAI_KEY}`)).toBe(true);

    expect(github!.state.comments).toHaveLength(1);
    const comment = github!.state.comments[0]!;
    expect(comment.user.login).toBe('github-actions[bot]');
    expect(comment.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(first.outputs['comment-url']).toBe(comment.html_url);
    expect(first.summary).toContain(COMMENT_MARKER);
    expect(first.summary).toContain('greet');
    expect(github!.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(first.stdout).toContain(`::add-mask::${TOKEN}`);

    const second = await runOnPullRequest(repo);
    expect(second.code).toBe(1);
    expect(github!.state.comments).toHaveLength(1);
    expect(second.outputs['comment-url']).toBe(comment.html_url);
    expect(writes(github!)).toEqual([
      `POST /repos/${REPO.owner}/${REPO.repo}/issues/${PR_NUMBER}/comments`,
      `PATCH /repos/${REPO.owner}/${REPO.repo}/issues/comments/${comment.id}`,
    ]);
  });

  it('passes an improvement', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', BROKEN)), { 'prompts/greet.prompt.yaml': greetPrompt('1.1.0', GOOD) });
    const run = await runOnPullRequest(repo, { 'openai-api-key': 'sk-from-input' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'pass', regressions: '0', evaluated: '1' });
    expect(run.stdout).toContain('::add-mask::sk-from-input');
    expect(model.calls.map((c) => c.headers.authorization)).toEqual(Array(8).fill('Bearer sk-from-input'));
    expect(run.report?.prompts.map((p) => [p.name, p.status, p.cases.improved])).toEqual([['greet', 'pass', WORDS]]);
    expect(github!.state.comments).toHaveLength(1);
  });

  it('makes no model call and no comment for a change that affects no prompt', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', GOOD)), { 'README.md': '# prompts, documented\n' });
    const run = await runOnPullRequest(repo);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'pass', regressions: '0', evaluated: '0', 'comment-url': '' });
    expect(run.report?.prompts).toEqual([]);
    expect(model.calls).toEqual([]);
    expect(writes(github!)).toEqual([]);
  });

  it('evaluates the prompt that includes a changed partial, and only that one', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', GOOD)), { 'partials/tone.njk': 'Be polite and brief.' });
    const run = await runOnPullRequest(repo);
    expect(run.report?.prompts.map((p) => [p.name, p.change])).toEqual([['greet', 'dependency']]);
    expect(model.calls.length).toBe(8);
    expect(model.calls.every(isGreet)).toBe(true);
    expect(model.calls.filter((c) => systemText(c).includes('brief'))).toHaveLength(4);
  });

  it('reads a stored baseline committed on the base branch instead of rerunning the base version', async () => {
    const repo = await pullRequest(
      project(greetPrompt('1.0.0', GOOD)),
      { 'prompts/greet.prompt.yaml': greetPrompt('1.0.1', `${GOOD} Keep it short.`) },
      {},
      async (dir) => {
        // Production's baselines, written by the action's baseline mode on main.
        const server = await startGitHubServer();
        const baseline = await runAction({
          workspace: dir,
          event: { name: 'push', payload: { ref: 'refs/heads/main' } },
          inputs: { mode: 'baseline' },
          github: server,
          model,
        });
        await server.close();
        expect(baseline.code).toBe(0);
        expect(baseline.outputs.baselines?.split('\n')).toEqual([
          '.promptgate/baselines/greet.json',
          '.promptgate/baselines/summarize.json',
        ]);
        model.reset();
      },
    );
    const run = await runOnPullRequest(repo);
    expect(run.code).toBe(0);
    expect(run.report?.prompts.map((p) => [p.name, p.status, p.baseline.source])).toEqual([['greet', 'pass', 'stored']]);
    expect(model.calls).toHaveLength(4);
    expect(model.calls.every((c) => systemText(c).includes('Keep it short.'))).toBe(true);
  });

  it('completes without permission to comment: summary written, warning logged, check still failing on the regression', async () => {
    const repo = await pullRequest(
      project(greetPrompt('1.0.0', GOOD)),
      { 'prompts/greet.prompt.yaml': greetPrompt('1.1.0', BROKEN) },
      { readOnly: true },
    );
    const run = await runOnPullRequest(repo);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'fail', regressions: '1', 'comment-url': '' });
    expect(run.summary).toContain(COMMENT_MARKER);
    expect(github!.state.comments).toEqual([]);
    // Annotation messages encode newlines as %0A.
    expect(run.stdout).toContain('::warning::promptgate could not comment on pull request #7: GitHub answered 403');
    expect(run.stdout).toContain('give the job:%0Apermissions:%0A  contents: read%0A  pull-requests: write');
    expect(run.stdout).toContain('::error::1 metric regressed in greet');
  });

  it('pages through a pull request with 250+ files', async () => {
    const docs = Object.fromEntries(Array.from({ length: 260 }, (_, i) => [`docs/page-${i}.md`, `page ${i}\n`]));
    const repo = await pullRequest(project(greetPrompt('1.0.0', BROKEN)), {
      ...docs,
      'prompts/greet.prompt.yaml': greetPrompt('1.1.0', GOOD),
    });
    expect(repo.files).toHaveLength(261);
    const run = await runOnPullRequest(repo);
    expect(fileRequests(github!).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(run.code).toBe(0);
    expect(run.report?.prompts.map((p) => p.name)).toEqual(['greet']);
  });

  it('accepts a regression when the accept label is added', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', GOOD)), { 'prompts/greet.prompt.yaml': greetPrompt('1.1.0', BROKEN) });
    const run = await runOnPullRequest(
      repo,
      {},
      { action: 'labeled', label: 'promptgate:accept', labels: ['promptgate:accept'], sender: 'lead' },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'pass', regressions: '1' });
    expect(run.report?.accepted).toBe(true);
    expect(github!.state.comments[0]?.body).toContain('lead');
  });

  it('stops with a clear message on a bad input, and on mode pr outside a pull request', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', GOOD)), { 'README.md': 'x\n' });
    const badInput = await runOnPullRequest(repo, { mode: 'prr' });
    expect(badInput.code).toBe(1);
    expect(badInput.stdout).toContain('::error::input "mode" must be one of pr, baseline, drift, lint, merge, canary, release; got "prr"');

    const push = await runAction({
      workspace: repo.workspace,
      event: { name: 'push', payload: { ref: 'refs/heads/main' } },
      github: github!,
      model,
    });
    expect(push.code).toBe(1);
    expect(push.stdout).toContain('::error::mode "pr" needs a pull request, but this run was triggered by a "push" event.');
    expect(model.calls).toEqual([]);
  });

  it('reports a broken promptgate.yaml like any other bad file: annotation, JSON report, summary, comment; no model call', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', GOOD)), { 'promptgate.yaml': `${CONFIG}gate: { alpha: 2 }\n` });
    const run = await runOnPullRequest(repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error title=promptgate invalid-file,file=promptgate.yaml,line=3,col=16::gate.alpha: expected a number < 1',
    );
    expect(run.stdout).toContain('::error::1 lint error: fix it (see the annotations on the files).');
    expect(run.stdout).toContain('1 configuration error (see the findings on promptgate.yaml): the run stopped before linting the prompts');
    expect(run.stdout).not.toMatch(/\n\s+at /);
    expect(run.outputs).toMatchObject({ result: 'fail', evaluated: '0' });
    expect(run.report).toMatchObject({ result: 'fail', stopped: 'invalid-config', prompts: [] });
    expect(run.report?.lint).toEqual([
      expect.objectContaining({ rule: 'invalid-file', file: 'promptgate.yaml', line: 3, column: 16, key: 'gate.alpha' }),
    ]);
    expect(run.summary).toContain('the run stopped before linting the prompts');
    expect(github!.state.comments[0]?.body).toContain('gate.alpha');
    expect(run.summary).not.toContain('No prompt is affected');
    expect(model.calls).toEqual([]);
  });

  it('refuses pull_request_target with the pull request checked out, unless allow-untrusted-checkout says so', async () => {
    const repo = await pullRequest(project(greetPrompt('1.0.0', GOOD)), { 'prompts/greet.prompt.yaml': greetPrompt('1.1.0', GOOD) });
    const target = (inputs: Record<string, string> = {}) =>
      runAction({
        workspace: repo.workspace,
        event: { name: 'pull_request_target', payload: pullRequestEvent(repo, {}) },
        inputs,
        github: github!,
        model,
        sha: repo.baseSha,
      });

    const refused = await target();
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      "::error::promptgate refuses to run: this pull_request_target run has the pull request's code checked out",
    );
    expect(refused.stdout).toContain('run promptgate on the `pull_request` event');
    expect(refused.stdout).toContain('allow-untrusted-checkout: true');
    expect(refused.stdout).not.toMatch(/\n\s+at /);
    expect(model.calls).toEqual([]);

    const allowed = await target({ 'allow-untrusted-checkout': 'true' });
    expect(allowed.outputs).toMatchObject({ result: 'pass', evaluated: '1' });
  });
});
