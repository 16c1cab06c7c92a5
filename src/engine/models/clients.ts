// One adapter per provider type over the vendor SDK: a single attempt, no retries (the
// runner retries, so it can count them and honour retry-after), failures classified.
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { ChatMessage, ProviderConfig, ProviderType } from '../types.js';
import { createHttpFetch } from './http-fetch.js';
import { parseRetryAfter, type AttemptFailure } from './retry.js';

export interface Completion {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

export interface ProviderClient {
  complete(model: string, params: Record<string, unknown>, messages: ChatMessage[]): Promise<Completion>;
}

/** One failed attempt; `failure` says whether and how to retry. */
export class AttemptError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.kind === 'timeout' ? 'timed out' : failure.message);
    this.name = 'AttemptError';
  }
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Anthropic requires max_tokens; SPEC 9 fixes the default. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

const DEFAULTS: Record<ProviderType, { keyEnv: string; baseUrlEnv: string; baseUrl: string }> = {
  openai: { keyEnv: 'OPENAI_API_KEY', baseUrlEnv: 'OPENAI_BASE_URL', baseUrl: 'https://api.openai.com/v1' },
  anthropic: { keyEnv: 'ANTHROPIC_API_KEY', baseUrlEnv: 'ANTHROPIC_BASE_URL', baseUrl: 'https://api.anthropic.com' },
};

export function apiKeyEnvOf(provider: ProviderConfig): string {
  return provider.api_key_env ?? DEFAULTS[provider.type].keyEnv;
}

export function baseUrlOf(provider: ProviderConfig, env: Record<string, string | undefined>): string {
  const defaults = DEFAULTS[provider.type];
  return provider.base_url || env[defaults.baseUrlEnv] || defaults.baseUrl;
}

/** Params exactly as sent: Anthropic gets its default max_tokens, nobody gets streaming. */
export function effectiveParams(type: ProviderType, params: Record<string, unknown>): Record<string, unknown> {
  const { stream: _stream, ...rest } = params;
  if (type === 'anthropic' && rest['max_tokens'] === undefined) rest['max_tokens'] = ANTHROPIC_DEFAULT_MAX_TOKENS;
  return rest;
}

/**
 * `env` is read for proxies (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) only. Each SDK is imported
 * when a client of its provider type is first made, not with the engine: together they are
 * over a megabyte of code to compile, and most runs use one provider. The import starts at
 * once, so that its compile overlaps the git and file work before the first call.
 */
export function createClient(
  provider: ProviderConfig,
  apiKey: string,
  baseURL: string,
  env: Record<string, string | undefined>,
): ProviderClient {
  const timeoutMs = provider.timeout_ms ?? DEFAULT_TIMEOUT_MS;
  // Every option the SDKs would otherwise read from process.env is passed explicitly.
  const common = { apiKey, baseURL, maxRetries: 0, timeout: timeoutMs, fetch: createHttpFetch({ env, bodyTimeoutMs: timeoutMs }) };
  const client: Promise<ProviderClient> =
    provider.type === 'openai'
      ? import('openai').then((sdk) =>
          openaiClient(
            sdk,
            new sdk.OpenAI({ ...common, organization: null, project: null, adminAPIKey: null, webhookSecret: null }),
            timeoutMs,
          ),
        )
      : import('@anthropic-ai/sdk').then((sdk) =>
          anthropicClient(sdk, new sdk.Anthropic({ ...common, authToken: null, webhookKey: null }), timeoutMs),
        );
  client.catch(() => undefined); // a failed import surfaces on the first call
  return { complete: async (...args) => (await client).complete(...args) };
}

function openaiClient(errors: SdkErrors, sdk: OpenAI, timeoutMs: number): ProviderClient {
  return {
    async complete(model, params, messages) {
      const body = await attempt(errors, timeoutMs, (signal) =>
        sdk.chat.completions.create({ ...params, model, messages, stream: false } as OpenAI.ChatCompletionCreateParamsNonStreaming, {
          signal,
        }),
      );
      const choice = (body as Partial<OpenAI.ChatCompletion> | null)?.choices?.[0];
      const message = choice?.message;
      if (!message || typeof message !== 'object') throw malformed('no choices[0].message in the response');
      const text = typeof message.content === 'string' ? message.content : (message.refusal ?? (message.content === null ? '' : undefined));
      if (typeof text !== 'string') throw malformed('choices[0].message.content is not text');
      const usage = (body as OpenAI.ChatCompletion).usage;
      return { text, inputTokens: count(usage?.prompt_tokens), outputTokens: count(usage?.completion_tokens) };
    },
  };
}

function anthropicClient(errors: SdkErrors, sdk: Anthropic, timeoutMs: number): ProviderClient {
  return {
    async complete(model, params, messages) {
      const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
      const request = {
        ...params,
        model,
        ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
        messages: messages.filter((m) => m.role !== 'system'),
        stream: false,
      } as Anthropic.MessageCreateParamsNonStreaming;
      const body = await attempt(errors, timeoutMs, (signal) => sdk.messages.create(request, { signal }));
      const content = (body as Partial<Anthropic.Message> | null)?.content;
      if (!Array.isArray(content)) throw malformed('no content array in the response');
      // A message may legitimately hold no text block (e.g. it stopped at once): that is ''.
      const text = content.map((block) => (block?.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
      const usage = (body as Anthropic.Message).usage;
      return { text, inputTokens: count(usage?.input_tokens), outputTokens: count(usage?.output_tokens) };
    },
  };
}

interface SdkErrors {
  APIError: abstract new (...args: never[]) => Error & { status?: number | undefined; headers?: Headers | undefined };
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

/**
 * Runs one SDK call under a deadline and turns whatever goes wrong on the wire into an
 * AttemptError. The SDKs' own timeout stops once the headers arrive, so a server that
 * stalls in the middle of a body would hang the run: the deadline covers the whole attempt.
 */
async function attempt<T>(errors: SdkErrors, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    return await call(deadline.signal);
  } catch (err) {
    throw new AttemptError(deadline.signal.aborted ? { kind: 'timeout' } : classify(errors, err));
  } finally {
    clearTimeout(timer);
  }
}

function classify(errors: SdkErrors, err: unknown): AttemptFailure {
  if (err instanceof errors.APIConnectionTimeoutError) return { kind: 'timeout' };
  if (err instanceof errors.APIError && err.status !== undefined) {
    const retryAfterMs = parseRetryAfter(err.headers);
    return {
      kind: 'http',
      status: err.status,
      message: oneLine(serverMessage(err)),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  // Before the headers the SDKs wrap a transport failure in APIConnectionError; after them
  // (reading the body) it escapes as the fetch implementation's own error, e.g. undici's
  // `TypeError: terminated` caused by ECONNRESET. Both are a dropped connection.
  if (err instanceof errors.APIConnectionError || isTransportFailure(err)) return { kind: 'connection', message: oneLine(causeOf(err)) };
  // The SDKs parse a JSON content-type with response.json(): a broken body surfaces here.
  if (err instanceof SyntaxError) return { kind: 'malformed', message: `response is not valid JSON (${oneLine(err.message)})` };
  throw err;
}

/**
 * Error codes of a connection that failed or dropped, whichever HTTP stack reported them:
 * the OS (via node:net, node:dns), node:http's parser, undici's socket and timeout errors, node:stream.
 */
const TRANSPORT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_CONSTANT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** Messages that name a dropped connection when no code says so (undici, node:http). */
const TRANSPORT_MESSAGES = /^(terminated|socket hang up|other side closed|premature close)$/i;

/** Whether an error, or anything in its `cause` chain, is a transport failure. */
export function isTransportFailure(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSPORT_CODES.has(code)) return true;
    if (TRANSPORT_MESSAGES.test(e.message.trim())) return true;
  }
  return false;
}

/**
 * What the server said: OpenAI's error body is `{ error: { message } }` (the SDK keeps the
 * inner object), Anthropic's `{ type: 'error', error: { message } }` (the SDK keeps it whole).
 */
function serverMessage(err: Error): string {
  const body = (err as { error?: { message?: unknown; error?: { message?: unknown } } }).error;
  const message = body?.message ?? body?.error?.message;
  return typeof message === 'string' ? message : err.message.replace(/^\d{3}\s*/, '');
}

/** The SDK says "Connection error."; the root cause (ECONNREFUSED, socket closed, ...) is what helps. */
function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let root: Error = err;
  for (let depth = 0; root.cause instanceof Error && depth < 10; depth++) root = root.cause;
  if (root === err) return err.message;
  const code = (root as { code?: unknown }).code;
  return typeof code === 'string' && !root.message.includes(code) ? `${code}: ${root.message}` : root.message;
}

function malformed(message: string): AttemptError {
  return new AttemptError({ kind: 'malformed', message });
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : 0;
}

/** Server messages can be long and multi-line; reports want one short line. */
export function oneLine(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
