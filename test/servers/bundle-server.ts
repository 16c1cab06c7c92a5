// A loopback static server for a published prompt bundle (SPEC 10.4), as GitHub Pages or a
// CDN serves one: files read from a directory on each request, a strong ETag per file and
// 304 for a matching If-None-Match. Tests switch it to failing (HTTP 500), hanging,
// tampering with an artifact's bytes, or stop it, and count the requests it received.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize } from 'node:path';

export type BundleServerMode = 'serve' | 'error' | 'hang';

export interface BundleRequest {
  path: string;
  ifNoneMatch: string | undefined;
  status: number;
}

export interface BundleServer {
  /** Base URL of the bundle, ending in `/`. */
  readonly url: string;
  /** Every request answered (or hung), in arrival order. */
  readonly requests: BundleRequest[];
  mode: BundleServerMode;
  /** Serves these bytes instead of the file at `path` (e.g. `artifacts/<sha>.json`). */
  tamper(path: string, bytes: string): void;
  /** Holds manifest responses until the returned function is called. */
  holdManifest(): () => void;
  close(): Promise<void>;
}

function etagOf(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
}

export async function startBundleServer(root: string): Promise<BundleServer> {
  const requests: BundleRequest[] = [];
  const tampered = new Map<string, string>();
  const sockets = new Set<Socket>();
  let held: Promise<void> | undefined;

  async function answer(path: string, ifNoneMatch: string | undefined, res: ServerResponse): Promise<number> {
    if (server.mode === 'error') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return 500;
    }
    if (path === 'manifest.json' && held) await held;
    const file = normalize(path);
    if (file.startsWith('..')) {
      res.writeHead(403).end();
      return 403;
    }
    const fake = tampered.get(path);
    const bytes = fake !== undefined ? Buffer.from(fake) : await readFile(join(root, file)).catch(() => undefined);
    if (!bytes) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return 404;
    }
    const etag = etagOf(bytes);
    if (ifNoneMatch === etag) {
      res.writeHead(304, { etag }).end();
      return 304;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag, 'content-length': bytes.length }).end(bytes);
    return 200;
  }

  const http = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const ifNoneMatch = req.headers['if-none-match'];
    const request: BundleRequest = { path, ifNoneMatch, status: 0 };
    requests.push(request);
    if (server.mode === 'hang') return;
    void answer(path, ifNoneMatch, res).then((status) => {
      request.status = status;
    });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const server: BundleServer = {
    url: `http://127.0.0.1:${port}/`,
    requests,
    mode: 'serve',
    tamper: (path, bytes) => void tampered.set(path, bytes),
    holdManifest() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        http.close(() => resolve());
      }),
  };
  return server;
}
