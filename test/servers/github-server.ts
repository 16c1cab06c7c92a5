// A loopback GitHub REST server with just what promptgate calls: a pull request's files,
// issue comments, and the token's user. It paginates like GitHub (per_page, page, Link
// header), caps a pull request's file list at 3,000, and records every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
}

export interface StoredComment {
  id: number;
  issue_number: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}

export interface GitHubServerOptions {
  /** The pull request's files, for every pull request number. */
  files?: PullFile[];
  /** Comments already on the pull request (issue number 1 unless given). */
  comments?: { body: string; user: string; issue_number?: number }[];
  /** The token's user for `GET /user`; null answers 403 as GitHub does for a workflow's GITHUB_TOKEN. */
  user?: string | null;
  /** 403 on every write, as for a fork's pull request or a read-only token. */
  readOnly?: boolean;
  /** Status code answered by the files endpoint instead of the list (a REST error). */
  filesStatus?: number;
  /** The pull request's timeline events (`GET /repos/:o/:r/issues/:n/events`), oldest first. */
  events?: { event: string; label?: { name: string }; actor: { login: string } }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  authorization?: string;
}

export interface GitHubServer {
  url: string;
  state: { files: PullFile[]; comments: StoredComment[] };
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const GITHUB_TOKEN_LOGIN = 'github-actions[bot]';
const FILES_CAP = 3000;

export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
  const author = opts.user ?? GITHUB_TOKEN_LOGIN;
  let nextId = 1000;
  const state = {
    files: opts.files ?? [],
    comments: (opts.comments ?? []).map((c) => stored(nextId++, c.issue_number ?? 1, c.body, c.user)),
  };
  const requests: RecordedRequest[] = [];

  function stored(id: number, issue: number, body: string, login: string): StoredComment {
    return {
      id,
      issue_number: issue,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.com/o/r/pull/${issue}#issuecomment-${id}`,
    };
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { message: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = await readBody(req);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(body !== undefined && { body }),
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
    });
    const route = `${method} ${url.pathname}`;
    let m: RegExpMatchArray | null;

    if (route === 'GET /user') {
      if (opts.user == null) return send(res, 403, { message: 'Resource not accessible by integration' });
      return send(res, 200, { login: opts.user, type: 'User' });
    }
    if ((m = route.match(/^GET \/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/))) {
      if (opts.filesStatus) return send(res, opts.filesStatus, { message: 'files endpoint refused' });
      return sendPage(res, url, state.files.slice(0, FILES_CAP));
    }
    if (route.match(/^GET \/repos\/[^/]+\/[^/]+\/issues\/\d+\/events$/)) return sendPage(res, url, opts.events ?? []);
    if ((m = route.match(/^(GET|POST) \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/))) {
      const issue = Number(m[2]);
      if (m[1] === 'GET')
        return sendPage(
          res,
          url,
          state.comments.filter((c) => c.issue_number === issue),
        );
      if (opts.readOnly) return send(res, 403, { message: 'Resource not accessible by integration' });
      const comment = stored(nextId++, issue, String(body?.body), author);
      state.comments.push(comment);
      return send(res, 201, comment);
    }
    if ((m = route.match(/^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/))) {
      if (opts.readOnly) return send(res, 403, { message: 'Resource not accessible by integration' });
      const comment = state.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      comment.body = String(body?.body);
      return send(res, 200, comment);
    }
    send(res, 404, { message: `Not Found: ${route}` });
  }

  function sendPage(res: ServerResponse, url: URL, items: unknown[]): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const next = new URL(url.href.replace('http://localhost', address()));
      next.searchParams.set('page', String(p));
      next.searchParams.set('per_page', String(perPage));
      return `<${next.href}>; rel="${rel}"`;
    };
    const links = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    send(res, 200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: address(),
    state,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
