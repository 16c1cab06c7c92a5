// A WHATWG fetch on node:http/node:https keep-alive agents, handed to both SDKs (`fetch`
// option). Node's built-in fetch (undici) costs about twice the CPU per request and more
// memory; on the request path of a large eval that is the difference between reaching the
// concurrency/latency ideal or not. Errors look like undici's, so callers that walk cause
// chains see the socket's own code: a failed request rejects with TypeError('fetch failed',
// { cause }), reading a body cut short fails with TypeError('terminated', { cause }),
// where cause.code is ECONNRESET, ECONNREFUSED, ENOTFOUND, ERR_STREAM_PREMATURE_CLOSE, ...
// An aborted signal rejects with the signal's reason (an AbortError), as the SDKs expect.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { IncomingBody, NodeResponse } from './http-response.js';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpFetchOptions {
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms) are read. */
  env: Record<string, string | undefined>;
  /** A response body that sends nothing for this long fails (the SDKs' own timeout stops at the headers). */
  bodyTimeoutMs?: number;
}

/** Statuses whose responses have no body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function createHttpFetch({ env, bodyTimeoutMs }: HttpFetchOptions): Fetch {
  const agents = new Map<string, http.Agent>();
  // The environment is read once per origin, not once per request.
  const agentOfOrigin = new Map<string, http.Agent>();
  const agentFor = (url: URL): http.Agent => {
    const origin = `${url.protocol}//${url.host}`;
    const known = agentOfOrigin.get(origin);
    if (known) return known;
    const proxy = proxyFor(url, env);
    const key = `${url.protocol}${proxy ?? ''}`;
    let agent = agents.get(key);
    if (!agent) {
      // One tunnel (CONNECT) per connection for http and https targets alike, as @actions/http-client does.
      const options = { keepAlive: true, scheduling: 'lifo' as const };
      agent = proxy ? new HttpsProxyAgent(proxy, options) : url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
      agents.set(key, agent);
    }
    agentOfOrigin.set(origin, agent);
    return agent;
  };

  return async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    const signal = init.signal ?? request?.signal ?? undefined;
    signal?.throwIfAborted();
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    // The SDKs hand over a Headers: read as it is, not copied (each copy validates every header again).
    const given = init.headers ?? request?.headers;
    const headers = given instanceof Headers ? given : new Headers(given);
    const { body, contentType } = await encodeBody(init.body ?? request?.body ?? null);

    return new Promise<Response>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method,
        headers: outgoingHeaders(headers, contentType),
        agent: agentFor(url),
      });
      const onAbort = () => req.destroy(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      const release = () => signal?.removeEventListener('abort', onAbort);

      // `on`, not `once`: a socket can fail again after the first error, and an unheard error would crash.
      req.on('error', (err) => {
        release();
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
      });
      req.once('response', (res) => {
        res.once('close', release);
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode ?? 0;
        const empty = method === 'HEAD' || NULL_BODY_STATUSES.has(status);
        if (empty) res.resume();
        const body = empty ? null : new IncomingBody(res, signal, bodyTimeoutMs);
        resolve(new NodeResponse(status, res.statusMessage ?? '', responseHeaders, url, body));
      });

      if (body instanceof Readable) {
        body.once('error', (err) => req.destroy(err));
        body.pipe(req);
      } else {
        req.end(body);
      }
    });
  };
}

interface EncodedBody {
  body: string | Uint8Array | Readable | undefined;
  /** The type the platform's encoder gives the body (a FormData's boundary, ...), sent if the caller set none. */
  contentType?: string | null;
}

/** Strings and bytes go out as they are; anything else (FormData, Blob, streams) through the platform's encoder. */
async function encodeBody(body: RequestInit['body']): Promise<EncodedBody> {
  if (body === null || body === undefined) return { body: undefined };
  if (typeof body === 'string') return { body };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  const encoded = new Request('http://body.invalid/', { method: 'POST', body, duplex: 'half' } as RequestInit);
  const contentType = encoded.headers.get('content-type');
  if (body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams) {
    return { body: new Uint8Array(await encoded.arrayBuffer()), contentType };
  }
  return { body: encoded.body ? Readable.fromWeb(encoded.body as NodeReadableStream) : undefined, contentType };
}

function outgoingHeaders(headers: Headers, contentType: string | null | undefined): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  if (contentType && out['content-type'] === undefined) out['content-type'] = contentType;
  return out;
}

/**
 * The proxy for a URL from the standard variables, as curl and @actions/http-client read
 * them: `https_proxy`/`HTTPS_PROXY` for https, `http_proxy`/`HTTP_PROXY` for http, none
 * when `no_proxy`/`NO_PROXY` lists the host (exact, as a domain suffix, `.suffix`,
 * `*.suffix`, with an optional `:port`, or `*`) or the host is loopback.
 */
export function proxyFor(url: URL, env: Record<string, string | undefined>): string | undefined {
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const proxy = (env[`${scheme}_proxy`] || env[`${scheme.toUpperCase()}_PROXY`])?.trim();
  if (!proxy) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(host)) return undefined;
  const port = url.port || (scheme === 'https' ? '443' : '80');
  const noProxy = (env['no_proxy'] ?? env['NO_PROXY'] ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of noProxy) {
    if (entry === '*') return undefined;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ''))!;
    const domain = match[1]!.replace(/^\*?\./, '');
    if (match[2] && match[2] !== port) continue;
    if (host === domain || host.endsWith(`.${domain}`)) return undefined;
  }
  return proxy.includes('://') ? proxy : `http://${proxy}`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
