import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { listChangedFiles, readPullRequest, whoAddedLabel } from '../src/action/pull-request.js';
import { startGitHubServer, type GitHubServer, type PullFile } from './servers/github-server.js';

const repo = { owner: 'acme', repo: 'prompts' };

function pullRequestPayload(labels: string[] = []) {
  return {
    number: 7,
    base: { sha: 'a'.repeat(40), ref: 'main' },
    head: { sha: 'b'.repeat(40), ref: 'feature' },
    labels: labels.map((name) => ({ name })),
  };
}

describe('readPullRequest', () => {
  it('reads base, head, number and labels from a pull_request payload', () => {
    expect(readPullRequest({ action: 'synchronize', pull_request: pullRequestPayload(['bug']) }, 'promptgate:accept')).toEqual({
      number: 7,
      base: { sha: 'a'.repeat(40), ref: 'main' },
      head: { sha: 'b'.repeat(40), ref: 'feature' },
      accept: { present: false, by: null },
    });
  });

  it('names who accepted when the event is the accept label being added', () => {
    const pr = readPullRequest(
      {
        action: 'labeled',
        label: { name: 'promptgate:accept' },
        sender: { login: 'octocat' },
        pull_request: pullRequestPayload(['promptgate:accept']),
      },
      'promptgate:accept',
    );
    expect(pr?.accept).toEqual({ present: true, by: 'octocat' });
  });

  it('knows the label is present but not who added it on any other event', () => {
    const synchronize = readPullRequest(
      { action: 'synchronize', sender: { login: 'octocat' }, pull_request: pullRequestPayload(['ship-it']) },
      'ship-it',
    );
    const otherLabel = readPullRequest(
      { action: 'labeled', label: { name: 'bug' }, sender: { login: 'octocat' }, pull_request: pullRequestPayload(['ship-it', 'bug']) },
      'ship-it',
    );
    expect(synchronize?.accept).toEqual({ present: true, by: null });
    expect(otherLabel?.accept).toEqual({ present: true, by: null });
  });

  it('is undefined for an event without a pull request', () => {
    expect(readPullRequest({ action: 'completed' }, 'promptgate:accept')).toBeUndefined();
  });
});

describe('whoAddedLabel', () => {
  let server: GitHubServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('names the last person who added the label, from the events beyond the first page', async () => {
    const noise = Array.from({ length: 150 }, () => ({ event: 'labeled', label: { name: 'bug' }, actor: { login: 'bot' } }));
    server = await startGitHubServer({
      events: [
        { event: 'labeled', label: { name: 'promptgate:accept' }, actor: { login: 'first' } },
        { event: 'unlabeled', label: { name: 'promptgate:accept' }, actor: { login: 'first' } },
        ...noise,
        { event: 'labeled', label: { name: 'promptgate:accept' }, actor: { login: 'octo-lead' } },
      ],
    });
    expect(await whoAddedLabel(getOctokit('t', { baseUrl: server.url }), repo, 7, 'promptgate:accept')).toBe('octo-lead');
  });

  it('is null when no event says, or when GitHub refuses', async () => {
    server = await startGitHubServer({ events: [] });
    expect(await whoAddedLabel(getOctokit('t', { baseUrl: server.url }), repo, 7, 'promptgate:accept')).toBeNull();
    expect(await whoAddedLabel(getOctokit('t', { baseUrl: 'http://127.0.0.1:9' }), repo, 7, 'promptgate:accept')).toBeNull();
  });
});

describe('listChangedFiles', () => {
  let server: GitHubServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function list(files: PullFile[], opts: { filesStatus?: number } = {}) {
    server = await startGitHubServer({ files, ...opts });
    const logs: string[] = [];
    const result = await listChangedFiles(getOctokit('test-token', { baseUrl: server.url }), repo, 7, (m) => logs.push(m));
    return { result, logs, requests: server.requests };
  }

  const many = (n: number): PullFile[] => Array.from({ length: n }, (_, i) => ({ filename: `docs/file-${i}.md`, status: 'modified' }));

  it('follows the Link pagination through every page of 100', async () => {
    const { result, requests, logs } = await list(many(250));
    expect(result).toHaveLength(250);
    expect(result?.[249]).toEqual({ path: 'docs/file-249.md', status: 'modified' });
    expect(requests.map((r) => [r.path, r.query.page ?? '1', r.query.per_page])).toEqual([
      ['/repos/acme/prompts/pulls/7/files', '1', '100'],
      ['/repos/acme/prompts/pulls/7/files', '2', '100'],
      ['/repos/acme/prompts/pulls/7/files', '3', '100'],
    ]);
    expect(requests[0]?.authorization).toBe('token test-token');
    expect(logs).toEqual([]);
  });

  it('maps GitHub statuses, and lists a rename as the new path renamed and the old path removed', async () => {
    const { result } = await list([
      { filename: 'prompts/a.prompt.yaml', status: 'added' },
      { filename: 'prompts/b.prompt.yaml', status: 'removed' },
      { filename: 'prompts/c.prompt.yaml', status: 'modified' },
      { filename: 'partials/new.njk', status: 'renamed', previous_filename: 'partials/old.njk' },
      { filename: 'data/copy.jsonl', status: 'copied' },
      { filename: 'scorers/tone.mjs', status: 'changed' },
      { filename: 'README.md', status: 'unchanged' },
    ]);
    expect(result).toEqual([
      { path: 'prompts/a.prompt.yaml', status: 'added' },
      { path: 'prompts/b.prompt.yaml', status: 'removed' },
      { path: 'prompts/c.prompt.yaml', status: 'modified' },
      { path: 'partials/new.njk', status: 'renamed', previous: 'partials/old.njk' },
      { path: 'partials/old.njk', status: 'removed' },
      { path: 'data/copy.jsonl', status: 'added' },
      { path: 'scorers/tone.mjs', status: 'modified' },
    ]);
  });

  it('gives up at the 3,000-file cap so the engine diffs with git', async () => {
    const { result, logs, requests } = await list(many(3500));
    expect(result).toBeUndefined();
    expect(requests).toHaveLength(30);
    expect(logs).toEqual([
      'GitHub lists at most 3000 files of a pull request and this one has at least that many: using git diff against the base commit instead.',
    ]);
  });

  it('keeps a list just under the cap', async () => {
    const { result } = await list(many(2999));
    expect(result).toHaveLength(2999);
  });

  it('falls back to git on a REST error and says why', async () => {
    const { result, logs } = await list(many(3), { filesStatus: 403 });
    expect(result).toBeUndefined();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^Could not list the pull request's files through the API \(HTTP 403: files endpoint refused/);
    expect(logs[0]).toMatch(/using git diff against the base commit instead\.$/);
  });

  it('falls back to git without a token', async () => {
    const logs: string[] = [];
    expect(await listChangedFiles(undefined, repo, 7, (m) => logs.push(m))).toBeUndefined();
    expect(logs).toEqual(['No github-token: finding the changed files with git diff against the base commit.']);
  });
});
