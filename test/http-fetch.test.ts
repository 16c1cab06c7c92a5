// The fetch both SDKs use (node:http keep-alive agents): bodies both ways, aborts, errors
// carrying the socket's code, and proxies from the environment through a CONNECT proxy.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetch, proxyFor } from '../src/engine/models/http-fetch.js';
import { ModelCallError, ModelRunner } from '../src/engine/models/runner.js';
import { defaultConfig } from '../src/engine/files/project.js';
import type { ChatRequest } from '../src/engine/types.js';
import { startModelServer, type ModelServer } from './servers/model-server.js';

const fetch = createHttpFetch({ env: {} });
const servers: Server[] = [];

/** A loopback server with one handler; closed after the file. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A CONNECT proxy on loopback that sends every tunnel to `target` (whatever host was asked
 * for, so a test can use a name that only the proxy can reach) and records what it was asked.
 */
async function startConnectProxy(targetPort: number): Promise<{ url: string; tunnels: string[]; authorizations: string[] }> {
  const tunnels: string[] = [];
  const authorizations: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  const sockets = new Set<Socket>();
  server.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization'] ?? '');
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => sockets.delete(s));
    }
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels, authorizations };
}

let model: ModelServer;
beforeAll(async () => {
  model = await startModelServer();
});
afterEach(() => model.reset());
afterAll(async () => {
  await model.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('fetch on node:http', () => {
  it('sends string and streamed bodies and streams the response back', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-method': req.method ?? '' });
      req.pipe(res);
    });
    const plain = await fetch(url, { method: 'post', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-method')).toBe('POST');
    expect(await plain.text()).toBe('hello');

    const chunks = ['one ', 'two ', 'three'];
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const response = await fetch(url, { method: 'POST', body: streamed, duplex: 'half' } as RequestInit);
    const received: string[] = [];
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) received.push(new TextDecoder().decode(chunk));
    expect(received.join('')).toBe('one two three');
  });

  it('reads a body once: whole (json, text, arrayBuffer, blob) or as a stream, or cloned for two readers', async () => {
    const big = 'x'.repeat(300_000); // several chunks, past the bytes held before a reader comes
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/big' ? JSON.stringify({ big }) : '\ufeff{"answer": "é 👋"}');
    });
    const json = await fetch(url);
    expect(json.bodyUsed).toBe(false);
    expect(await json.json()).toEqual({ answer: 'é 👋' }); // the BOM dropped, as Response.text() does
    expect(json.bodyUsed).toBe(true);
    await expect(json.text()).rejects.toThrow(/Body is unusable/);

    expect(((await (await fetch(`${url}/big`)).json()) as { big: string }).big).toBe(big);
    expect((await (await fetch(url)).arrayBuffer()).byteLength).toBe(Buffer.byteLength('\ufeff{"answer": "é 👋"}'));
    const blob = await (await fetch(url)).blob();
    expect([blob.type, blob.size]).toEqual(['application/json', Buffer.byteLength('\ufeff{"answer": "é 👋"}')]);

    const streamed = await fetch(`${url}/big`);
    let length = 0;
    for await (const chunk of streamed.body as unknown as AsyncIterable<Uint8Array>) length += chunk.byteLength;
    expect(length).toBe(JSON.stringify({ big }).length);

    const original = await fetch(`${url}/big`);
    const copy = original.clone();
    const [a, b] = await Promise.all([original.text(), copy.text()]);
    expect(a).toBe(JSON.stringify({ big }));
    expect(b).toBe(a);
  });

  it('hears a body cut short before anyone reads it', async () => {
    let cut!: () => void;
    const wasCut = new Promise<void>((resolve) => (cut = resolve));
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"partial": ', () => {
        res.socket?.once('close', cut);
        res.socket?.destroy();
      });
    });
    const response = await fetch(url);
    await wasCut;
    // Time for the reset to reach the client: a body that starts listening only when read would never hear it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(response.json()).rejects.toMatchObject({ message: 'terminated' });
  }, 10_000);

  it("sends a FormData body with the encoder's content type, leaving the caller's headers as they were", async () => {
    const url = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => res.end(JSON.stringify({ type: req.headers['content-type'], body: Buffer.concat(chunks).toString() })));
    });
    const form = new FormData();
    form.set('field', 'value');
    const headers = new Headers({ 'x-caller': 'yes' });
    const seen = (await (await fetch(url, { method: 'POST', body: form, headers })).json()) as { type: string; body: string };
    expect(seen.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body).toContain('name="field"\r\n\r\nvalue');
    expect([...headers.keys()]).toEqual(['x-caller']);
    const typed = (await (
      await fetch(url, { method: 'POST', body: new URLSearchParams({ a: '1' }), headers: { 'content-type': 'text/x-mine' } })
    ).json()) as { type: string };
    expect(typed.type).toBe('text/x-mine');
  });

  it('gives 204 and HEAD responses no body', async () => {
    const url = await serve((req, res) => res.writeHead(req.method === 'HEAD' ? 200 : 204).end());
    expect((await fetch(url, { method: 'DELETE' })).body).toBeNull();
    expect((await fetch(url, { method: 'HEAD' })).body).toBeNull();
  });

  it('rejects with the signal reason when aborted, before or during the request', async () => {
    const url = await serve(() => undefined); // never answers
    const early = new AbortController();
    early.abort();
    await expect(fetch(url, { signal: early.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const late = new AbortController();
    const pending = fetch(url, { signal: late.signal });
    setImmediate(() => late.abort());
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("rejects a refused connection with cause.code ECONNREFUSED, as undici's fetch does", async () => {
    const url = await serve(() => undefined);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const err = await fetch(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('errors a body cut short with the socket code in the cause', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"partial": ');
      setImmediate(() => res.socket?.destroy());
    });
    const response = await fetch(url);
    const err = await response.text().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as TypeError).message).toBe('terminated');
    expect(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE']).toContain(((err as Error).cause as { code?: string }).code);
  });

  it('fails a body that stalls past the body timeout', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('a little');
    });
    const response = await createHttpFetch({ env: {}, bodyTimeoutMs: 50 })(url);
    await expect(response.text()).rejects.toMatchObject({ message: 'terminated', cause: { code: 'ETIMEDOUT' } });
  });
});

describe('proxies', () => {
  it('reads HTTPS_PROXY / HTTP_PROXY and NO_PROXY like curl, never proxying loopback', () => {
    const env = {
      HTTPS_PROXY: 'proxy.corp:3128',
      http_proxy: 'http://p:8080',
      NO_PROXY: 'internal.corp, .svc, *.mesh, api.example.com:8443',
    };
    expect(proxyFor(new URL('https://api.openai.com/v1'), env)).toBe('http://proxy.corp:3128');
    expect(proxyFor(new URL('http://models.example.com/v1'), env)).toBe('http://p:8080');
    for (const direct of [
      'https://internal.corp/v1',
      'https://a.internal.corp/v1',
      'https://x.svc/v1',
      'https://y.mesh/v1',
      'https://api.example.com:8443/',
      'http://localhost:11434/v1',
      'http://127.0.0.1:8080/',
      'http://[::1]:8080/',
    ]) {
      expect(proxyFor(new URL(direct), env), direct).toBeUndefined();
    }
    expect(proxyFor(new URL('https://api.example.com/'), env)).toBe('http://proxy.corp:3128');
    expect(proxyFor(new URL('https://api.openai.com/'), { ...env, no_proxy: '*' })).toBeUndefined();
    expect(proxyFor(new URL('https://api.openai.com/'), {})).toBeUndefined();
  });

  it('reaches both providers through a CONNECT proxy, with its credentials, over kept-alive tunnels', async () => {
    const port = new URL(model.url).port;
    const proxy = await startConnectProxy(Number(port));
    // A host name only the proxy can resolve: the calls cannot have gone around it.
    const env = {
      OPENAI_API_KEY: 'sk-test',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      OPENAI_BASE_URL: `http://models.proxied.invalid:${port}/v1`,
      ANTHROPIC_BASE_URL: `http://models.proxied.invalid:${port}`,
      HTTP_PROXY: proxy.url,
    };
    const runner = new ModelRunner({ config: { ...defaultConfig(), concurrency: 2 }, env });
    const ask = (provider: string, model: string, i: number): ChatRequest => ({
      provider,
      model,
      params: {},
      messages: [{ role: 'user', content: `question ${i}` }],
      sample: 0,
    });
    const answers = await Promise.all([
      ...[0, 1, 2, 3].map((i) => runner.complete(ask('openai', 'gpt-4o-2024-11-20', i))),
      ...[4, 5].map((i) => runner.complete(ask('anthropic', 'claude-haiku-4-5-20251001', i))),
    ]);
    expect(answers.map((a) => a.text)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `question ${i}`));
    expect(model.calls).toHaveLength(6);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`models.proxied.invalid:${port}`]));
    expect(proxy.authorizations[0]).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
    // Keep-alive: no more tunnels than requests in flight at once (2 per provider at most).
    expect(proxy.tunnels.length).toBeLessThanOrEqual(4);
  });

  it('decides the proxy per origin: one fetch mixes proxied, loopback and NO_PROXY hosts', async () => {
    const origin = await serve((req, res) => res.end(`${req.headers.host}`));
    const port = Number(new URL(origin).port);
    const proxy = await startConnectProxy(port);
    const mixed = createHttpFetch({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'direct.invalid' } });
    const text = async (url: string) => (await mixed(url)).text();
    expect(await text(`http://models.proxied.invalid:${port}/`)).toBe(`models.proxied.invalid:${port}`);
    expect(await text(`http://127.0.0.1:${port}/`)).toBe(`127.0.0.1:${port}`);
    expect(await text(`http://other.proxied.invalid:${port}/`)).toBe(`other.proxied.invalid:${port}`);
    const direct = await mixed(`http://direct.invalid:${port}/`).catch((e: unknown) => e);
    expect(((direct as Error).cause as NodeJS.ErrnoException).code).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(await text(`http://models.proxied.invalid:${port}/`)).toBe(`models.proxied.invalid:${port}`);
    expect(proxy.tunnels).toEqual([`models.proxied.invalid:${port}`, `other.proxied.invalid:${port}`]);
  });

  it('goes direct for a host in NO_PROXY', async () => {
    const proxy = await startConnectProxy(1);
    const runner = new ModelRunner({
      config: { ...defaultConfig(), providers: { openai: { type: 'openai', max_retries: 0 } } },
      env: { ...model.env(), HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'proxied.invalid' },
    });
    runner.assertReady(['openai']);
    // Loopback is never proxied: the call goes straight to the model server.
    const answer = await runner.complete({
      provider: 'openai',
      model: 'gpt-4o-2024-11-20',
      params: {},
      messages: [{ role: 'user', content: 'hi' }],
      sample: 0,
    });
    expect(answer.text).toBe('hi');
    expect(proxy.tunnels).toEqual([]);

    const bypassed = new ModelRunner({
      config: { ...defaultConfig(), providers: { openai: { type: 'openai', max_retries: 0 } } },
      env: { ...model.env(), OPENAI_BASE_URL: 'http://models.proxied.invalid:9/v1', HTTP_PROXY: proxy.url, NO_PROXY: 'proxied.invalid' },
    });
    const err = await bypassed
      .complete({ provider: 'openai', model: 'gpt-4o-2024-11-20', params: {}, messages: [{ role: 'user', content: 'hi' }], sample: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect((err as Error).message).toMatch(
      /connection to http:\/\/models\.proxied\.invalid:9\/v1 failed after 1 attempt: .*(ENOTFOUND|EAI_AGAIN)/,
    );
    expect(proxy.tunnels).toEqual([]);
  });
});
