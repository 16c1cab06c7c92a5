// A loopback server speaking enough of the OpenAI Chat Completions API and the Anthropic
// Messages API for the real SDKs: every test and the demo call models through it.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChatMessage, Role } from '../../src/engine/types.js';

export type Reply =
  | { text: string; latencyMs?: number; inputTokens?: number; outputTokens?: number }
  /**
   * An API error in the provider's format; `retryAfter` in seconds sets retry-after and
   * retry-after-ms, or only the one `retryAfterHeader` names.
   */
  | { status: number; retryAfter?: number; retryAfterHeader?: 'retry-after' | 'retry-after-ms'; latencyMs?: number }
  /** Never answers (or, `afterHeaders`, stalls after sending the headers): the client's timeout has to fire. */
  | { hang: true; afterHeaders?: boolean }
  /** 200 with a JSON content type and a broken body (default: truncated JSON). */
  | { malformed: true; body?: string }
  /** The connection fails in one of the ways a network or a proxy fails it. */
  | { drop: Drop };

/**
 * How a connection is dropped: `close` ends it cleanly (FIN: "socket hang up", "other
 * side closed"), `reset` aborts it (RST: ECONNRESET); `before-headers` sends nothing,
 * `after-headers` sends the headers and half a body, `short-body` ends the body before
 * its content-length (a premature close).
 */
export type Drop = 'close-before-headers' | 'reset-before-headers' | 'close-after-headers' | 'reset-after-headers' | 'short-body';

export interface ModelCall {
  api: 'openai' | 'anthropic';
  model: string;
  /** Anthropic: the non-system messages; OpenAI: all messages. Content flattened to text. */
  messages: ChatMessage[];
  /** Anthropic's `system` field, flattened to text. */
  system?: string;
  /** Every other request body field (temperature, max_tokens, ...). */
  params: Record<string, unknown>;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
}

export type Handler = (call: ModelCall, index: number) => Reply | Promise<Reply>;

export interface ModelServer {
  readonly url: string;
  readonly openaiBaseUrl: string;
  readonly anthropicBaseUrl: string;
  /** Every request received, in arrival order (retries included). */
  readonly calls: ModelCall[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  handle(handler: Handler): void;
  /** Forgets calls and in-flight peak, and restores the handler given at start. */
  reset(): void;
  close(): Promise<void>;
  /** Env for a runner: OPENAI_BASE_URL, ANTHROPIC_BASE_URL and dummy keys. */
  env(): Record<string, string>;
}

export const TEST_OPENAI_KEY = 'sk-test-openai';
export const TEST_ANTHROPIC_KEY = 'sk-ant-test';

/** The last user message of a call. */
export function lastUserMessage(call: ModelCall): string {
  return [...call.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

/** Answers with the last user message. */
export const echoHandler: Handler = (call) => ({ text: lastUserMessage(call) });

/** A rough, deterministic token count (about four characters a token). */
export function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

export async function startModelServer(handler: Handler = echoHandler, port = 0): Promise<ModelServer> {
  const initial = handler;
  let current = handler;
  const calls: ModelCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    serve(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: { message: `model-server handler failed: ${String(err)}` } });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const api =
      req.method === 'POST' && path.endsWith('/chat/completions')
        ? 'openai'
        : req.method === 'POST' && path.endsWith('/messages')
          ? 'anthropic'
          : undefined;
    const raw = await readBody(req);
    if (!api) return sendJson(res, 404, { error: { message: `no route for ${req.method} ${path}` } });

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return sendError(res, api, 400, 'request body is not JSON');
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const problem = api === 'openai' ? checkOpenAI(body, headers) : checkAnthropic(body, headers);
    if (problem) return sendError(res, api, problem.status, problem.message);

    const call = toCall(api, body, headers);
    const index = calls.push(call) - 1;
    const reply = await current(call, index);
    if ('hang' in reply) {
      if (reply.afterHeaders) sendPartial(res);
      return;
    }
    if ('drop' in reply) return drop(req, res, reply.drop);
    if ('malformed' in reply) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply.body ?? '{"id":"broken","choices":[{"message":');
      return;
    }
    if (reply.latencyMs) await wait(reply.latencyMs);
    if (res.destroyed) return;
    if ('status' in reply) {
      const extra: Record<string, string> = {};
      if (reply.retryAfter !== undefined) {
        if (reply.retryAfterHeader !== 'retry-after-ms') extra['retry-after'] = String(reply.retryAfter);
        if (reply.retryAfterHeader !== 'retry-after') extra['retry-after-ms'] = String(Math.round(reply.retryAfter * 1000));
      }
      return sendError(res, api, reply.status, `simulated ${reply.status}`, extra);
    }
    const inputTokens = reply.inputTokens ?? tokensOf([call.system ?? '', ...call.messages.map((m) => m.content)].join(''));
    const outputTokens = reply.outputTokens ?? tokensOf(reply.text);
    sendJson(
      res,
      200,
      api === 'openai'
        ? openaiBody(call.model, reply.text, inputTokens, outputTokens)
        : anthropicBody(call.model, reply.text, inputTokens, outputTokens),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    calls,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    handle(next) {
      current = next;
    },
    reset() {
      calls.length = 0;
      maxInFlight = inFlight;
      current = initial;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hung and keep-alive connections would otherwise hold close() open.
      server.closeAllConnections();
      await closed;
    },
    env() {
      return {
        OPENAI_BASE_URL: `${url}/v1`,
        ANTHROPIC_BASE_URL: url,
        OPENAI_API_KEY: TEST_OPENAI_KEY,
        ANTHROPIC_API_KEY: TEST_ANTHROPIC_KEY,
      };
    },
  };
}

// ---------- the two APIs ----------

function checkOpenAI(body: Record<string, unknown>, headers: Record<string, string>): { status: number; message: string } | undefined {
  if (!headers['authorization']?.startsWith('Bearer ')) return { status: 401, message: 'missing bearer token' };
  if (typeof body['model'] !== 'string') return { status: 400, message: 'model is required' };
  if (!Array.isArray(body['messages'])) return { status: 400, message: 'messages must be an array' };
  return undefined;
}

function checkAnthropic(body: Record<string, unknown>, headers: Record<string, string>): { status: number; message: string } | undefined {
  if (!headers['x-api-key'] && !headers['authorization']) return { status: 401, message: 'missing x-api-key' };
  if (typeof body['model'] !== 'string') return { status: 400, message: 'model: Field required' };
  if (typeof body['max_tokens'] !== 'number') return { status: 400, message: 'max_tokens: Field required' };
  if (!Array.isArray(body['messages'])) return { status: 400, message: 'messages: Field required' };
  if ((body['messages'] as { role?: unknown }[]).some((m) => m.role === 'system')) {
    return { status: 400, message: 'messages: Unexpected role "system". Use the top-level `system` parameter.' };
  }
  return undefined;
}

function toCall(api: ModelCall['api'], body: Record<string, unknown>, headers: Record<string, string>): ModelCall {
  const { model, messages, system, ...params } = body;
  const call: ModelCall = {
    api,
    model: model as string,
    messages: (messages as { role: Role; content: unknown }[]).map((m) => ({ role: m.role, content: flatten(m.content) })),
    params,
    headers,
  };
  if (system !== undefined) call.system = flatten(system);
  return call;
}

/** Message content may be a string or a list of typed parts; tests compare text. */
function flatten(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

function openaiBody(model: string, text: string, inputTokens: number, outputTokens: number): unknown {
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
  };
}

function anthropicBody(model: string, text: string, inputTokens: number, outputTokens: number): unknown {
  return {
    id: `msg_${randomUUID()}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens },
  };
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

function sendError(
  res: ServerResponse,
  api: ModelCall['api'],
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body =
    api === 'openai'
      ? { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'api_error', code: null, param: null } }
      : { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
  sendJson(res, status, body, headers);
}

/** Headers promising a body, and only the start of it. */
function sendPartial(res: ServerResponse, ended?: () => void): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '512' });
  const start = '{"id":"partial","choices":[';
  if (ended) res.end(start, ended);
  else res.write(start);
}

function drop(req: IncomingMessage, res: ServerResponse, how: Drop): void {
  // Ending the socket too, or the client would wait for the missing bytes until keep-alive ends.
  if (how === 'short-body') return sendPartial(res, () => req.socket.end());
  if (how.endsWith('after-headers')) sendPartial(res);
  // After headers, wait for the partial body to leave so the client sees it before the drop.
  const kill = () => (how.startsWith('reset') ? req.socket.resetAndDestroy() : req.socket.destroy());
  if (how.endsWith('after-headers')) res.write('', kill);
  else kill();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// ---------- standalone process ----------

/**
 * Runs the server as a process (for e2e tests and the demo). Options: `--port N` (default
 * any free port), `--latency MS` added to every echo reply, `--handler FILE` a module whose
 * default export is a Handler. Prints one JSON line with the URLs, then serves until
 * SIGINT or SIGTERM.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<ModelServer> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, latency: { type: 'string' }, handler: { type: 'string' } },
  });
  const latencyMs = Number(values.latency ?? 0);
  let handler: Handler = latencyMs > 0 ? (call) => ({ text: lastUserMessage(call), latencyMs }) : echoHandler;
  if (values.handler) {
    const mod = (await import(pathToFileURL(values.handler).href)) as { default: Handler };
    handler = mod.default;
  }
  const server = await startModelServer(handler, Number(values.port ?? 0));
  process.stdout.write(
    `${JSON.stringify({ url: server.url, openaiBaseUrl: server.openaiBaseUrl, anthropicBaseUrl: server.anthropicBaseUrl })}\n`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
