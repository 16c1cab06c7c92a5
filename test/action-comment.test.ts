import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { GITHUB_TOKEN_LOGIN, PERMISSIONS_BLOCK, publishComment } from '../src/action/comment.js';
import { COMMENT_MARKER } from '../src/github/comment-format.js';
import { startGitHubServer, type GitHubServer, type GitHubServerOptions } from './servers/github-server.js';

const repo = { owner: 'acme', repo: 'prompts' };
const report = (text: string) => `${COMMENT_MARKER}\n## promptgate: ${text}`;

describe('publishComment', () => {
  let server: GitHubServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup(opts: GitHubServerOptions = {}) {
    server = await startGitHubServer(opts);
    const logs = { info: [] as string[], warning: [] as string[] };
    const log = { info: (m: string) => logs.info.push(m), warning: (m: string) => logs.warning.push(m) };
    const octokit = getOctokit('test-token', { baseUrl: server.url });
    const publish = (body: string, create = true) => publishComment(octokit, repo, 1, { body, create }, log);
    return { server, logs, publish };
  }

  const writes = (s: GitHubServer) => s.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

  it('creates one comment, then updates that same comment on the next run', async () => {
    const { server, publish } = await setup();
    const first = await publish(report('1 regression'));
    const second = await publish(report('all clear'));
    expect(server.state.comments).toHaveLength(1);
    expect(server.state.comments[0]).toMatchObject({ body: report('all clear'), user: { login: GITHUB_TOKEN_LOGIN } });
    expect(first).toBe('https://github.com/o/r/pull/1#issuecomment-1000');
    expect(second).toBe(first);
    expect(writes(server)).toEqual(['POST /repos/acme/prompts/issues/1/comments', 'PATCH /repos/acme/prompts/issues/comments/1000']);
  });

  it('adds the marker when the body lacks it, so the next run finds the comment', async () => {
    const { server, publish } = await setup();
    await publish('plain body');
    expect(server.state.comments[0]?.body).toBe(`${COMMENT_MARKER}\nplain body`);
  });

  it("finds its own comment beyond the first page and leaves another author's marker alone", async () => {
    const others = Array.from({ length: 120 }, (_, i) => ({ body: `comment ${i}`, user: 'reviewer' }));
    const { server, publish } = await setup({
      comments: [{ body: `quoting: ${report('old')}`, user: 'reviewer' }, ...others, { body: report('old'), user: GITHUB_TOKEN_LOGIN }],
    });
    const url = await publish(report('new'));
    const mine = server.state.comments.at(-1)!;
    expect(url).toBe(mine.html_url);
    expect(mine.body).toBe(report('new'));
    expect(server.state.comments[0]?.body).toBe(`quoting: ${report('old')}`);
    expect(server.state.comments).toHaveLength(122);
    expect(writes(server)).toEqual([`PATCH /repos/acme/prompts/issues/comments/${mine.id}`]);
  });

  it("with a GitHub App's installation token, updates the bot's comment and never a person's", async () => {
    const { server, publish } = await setup({
      comments: [
        { body: report('forged by a person'), user: 'mallory' },
        { body: report('old'), user: 'promptgate-app[bot]' },
      ],
    });
    await publish(report('new'));
    expect(server.state.comments.map((c) => [c.user.login, c.body])).toEqual([
      ['mallory', report('forged by a person')],
      ['promptgate-app[bot]', report('new')],
    ]);
    expect(writes(server)).toEqual([`PATCH /repos/acme/prompts/issues/comments/${server.state.comments[1]!.id}`]);
  });

  it("matches the author by GET /user when the token is a user's", async () => {
    const { server, publish } = await setup({
      user: 'release-bot',
      comments: [
        { body: report('from the workflow token'), user: GITHUB_TOKEN_LOGIN },
        { body: report('from this token'), user: 'release-bot' },
      ],
    });
    await publish(report('updated'));
    expect(server.state.comments.map((c) => [c.user.login, c.body])).toEqual([
      [GITHUB_TOKEN_LOGIN, report('from the workflow token')],
      ['release-bot', report('updated')],
    ]);
  });

  it('does not start a comment when no prompt is affected', async () => {
    const { server, publish, logs } = await setup();
    expect(await publish(report('no prompt affected'), false)).toBeNull();
    expect(server.state.comments).toEqual([]);
    expect(writes(server)).toEqual([]);
    expect(logs.info).toEqual(['No prompt is affected by this pull request and there is no earlier promptgate comment: not commenting.']);
  });

  it('updates an existing comment to say no prompt is affected any more', async () => {
    const { server, publish } = await setup({ comments: [{ body: report('1 regression'), user: GITHUB_TOKEN_LOGIN }] });
    const url = await publish(report('no prompt affected'), false);
    expect(url).toBe(server.state.comments[0]?.html_url);
    expect(server.state.comments.map((c) => c.body)).toEqual([report('no prompt affected')]);
  });

  it('warns with the permissions to add when GitHub refuses the comment, and does not throw', async () => {
    const { server, publish, logs } = await setup({ readOnly: true });
    expect(await publish(report('1 regression'))).toBeNull();
    expect(server.state.comments).toEqual([]);
    expect(logs.warning).toHaveLength(1);
    expect(logs.warning[0]).toContain('could not comment on pull request #1: GitHub answered 403 (Resource not accessible by integration');
    expect(logs.warning[0]).toContain('The report is in the job summary');
    expect(logs.warning[0]!.endsWith(`give the job:\n${PERMISSIONS_BLOCK}`)).toBe(true);
    expect(PERMISSIONS_BLOCK).toBe('permissions:\n  contents: read\n  pull-requests: write');
  });

  it('warns the same way when the update of an existing comment is refused', async () => {
    const { server, publish, logs } = await setup({ readOnly: true, comments: [{ body: report('old'), user: GITHUB_TOKEN_LOGIN }] });
    expect(await publish(report('new'))).toBeNull();
    expect(server.state.comments[0]?.body).toBe(report('old'));
    expect(logs.warning[0]).toContain('GitHub answered 403');
  });
});
