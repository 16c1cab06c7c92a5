import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/engine/errors.js';
import { ResponseCache } from '../src/engine/models/cache.js';
import { BUILTIN_PRICES, costOf } from '../src/engine/models/pricing.js';
import { BudgetExceededError, MissingKeyError, ModelCallError, ModelRunner, type RunnerOptions } from '../src/engine/models/runner.js';
import type { ChatRequest, Config, ProviderConfig } from '../src/engine/types.js';
import { defaultConfig } from '../src/engine/files/project.js';
import { isTransportFailure } from '../src/engine/models/clients.js';
import { lastUserMessage, startModelServer, TEST_ANTHROPIC_KEY, type Drop, type ModelServer } from './servers/model-server.js';

const MODEL = 'gpt-4o-2024-11-20';

function config(overrides: Partial<Config> = {}, providers: Record<string, ProviderConfig> = {}): Config {
  const defaults = defaultConfig();
  return { ...defaults, providers: { ...defaults.providers, ...providers }, ...overrides };
}

function request(content: string, overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { provider: 'openai', model: MODEL, params: {}, messages: [{ role: 'user', content }], sample: 0, ...overrides };
}

function requests(n: number, overrides: Partial<ChatRequest> = {}): ChatRequest[] {
  return Array.from({ length: n }, (_, i) => request(`q${i}`, overrides));
}

let server: ModelServer;
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-models-'));
  tempDirs.push(dir);
  return dir;
}

function runner(opts: Partial<RunnerOptions> = {}, cfg: Config = config()): ModelRunner {
  return new ModelRunner({ config: cfg, env: server.env(), ...opts });
}

beforeAll(async () => {
  server = await startModelServer();
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('limits', () => {
  it('keeps the global limit and fills it under a load of 4x the limit', async () => {
    server.handle((call) => ({ text: lastUserMessage(call), latencyMs: 40 }));
    const r = runner({ concurrency: 4 });
    const out = await Promise.all(requests(16).map((q) => r.complete(q)));
    expect(out.map((o) => o.text)).toEqual(requests(16).map((q) => q.messages[0]!.content));
    expect(server.maxInFlight).toBe(4);
    expect(r.peakInFlight).toBe(4);
    expect(server.calls).toHaveLength(16);
  });

  it("keeps a provider's own limit under the global one", async () => {
    server.handle((call) => ({ text: lastUserMessage(call), latencyMs: 40 }));
    const cfg = config({ concurrency: 8 }, { slow: { type: 'openai', base_url: server.openaiBaseUrl, concurrency: 2 } });
    const r = runner({}, cfg);
    await Promise.all(requests(10, { provider: 'slow' }).map((q) => r.complete(q)));
    expect(server.maxInFlight).toBe(2);
    expect(r.usage.calls).toBe(10);
  });
});

describe('retries', () => {
  it('loses no sample in a 30% 429 storm and counts each retry', async () => {
    const limited = new Set<string>();
    server.handle((call) => {
      const text = lastUserMessage(call);
      const n = Number(text.slice(1));
      // The first attempt of 3 in every 10 requests is rate limited.
      if (n % 10 < 3 && !limited.has(text)) {
        limited.add(text);
        return { status: 429, retryAfter: 0.01 };
      }
      return { text };
    });
    const r = runner({ concurrency: 8 });
    const out = await Promise.all(requests(100).map((q) => r.complete(q)));
    expect(out.map((o) => o.text)).toEqual(requests(100).map((q) => q.messages[0]!.content));
    expect(r.usage.retries).toBe(30);
    expect(r.usage.calls).toBe(100);
    expect(server.calls).toHaveLength(130);
  });

  it('retries 5xx and then succeeds', async () => {
    server.handle((_call, index) => (index < 2 ? { status: index === 0 ? 503 : 500, retryAfter: 0.01 } : { text: 'ok' }));
    const r = runner();
    const out = await r.complete(request('hi'));
    expect(out.text).toBe('ok');
    expect(r.usage).toMatchObject({ calls: 1, retries: 2 });
    expect(server.calls).toHaveLength(3);
  });

  it('retries without retry-after using backoff', async () => {
    server.handle((_call, index) => (index === 0 ? { status: 502 } : { text: 'ok' }));
    const r = runner();
    expect((await r.complete(request('hi'))).text).toBe('ok');
    expect(r.usage.retries).toBe(1);
  });

  it('fails with ModelCallError after the last attempt', async () => {
    server.handle(() => ({ status: 503, retryAfter: 0 }));
    const r = runner();
    const err = await r.complete(request('hi')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ status: 503, attempts: 5 });
    expect((err as Error).message).toMatch(/^openai gpt-4o-2024-11-20: 503 after 5 attempts/);
    expect(server.calls).toHaveLength(5);
    expect(r.usage).toMatchObject({ calls: 0, retries: 4 });
  });

  it('does not retry a 401 and names the key variable', async () => {
    server.handle(() => ({ status: 401 }));
    const r = runner();
    const err = await r.complete(request('hi')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ status: 401, attempts: 1 });
    expect((err as Error).message).toContain('OPENAI_API_KEY');
    expect(server.calls).toHaveLength(1);
  });

  it('does not retry a 400 or 404', async () => {
    server.handle((_c, index) => ({ status: index === 0 ? 400 : 404 }));
    const r = runner();
    await expect(r.complete(request('a'))).rejects.toMatchObject({ status: 400, attempts: 1 });
    const err = await r.complete(request('b')).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, attempts: 1 });
    expect((err as Error).message).toContain(server.openaiBaseUrl);
    expect(server.calls).toHaveLength(2);
  });

  it('does not wait for a retry-after longer than a minute', async () => {
    server.handle(() => ({ status: 429, retryAfter: 3600 }));
    const r = runner();
    const err = await r.complete(request('hi')).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, attempts: 1 });
    expect((err as Error).message).toContain('3600 s');
  });

  it('times out a hung request and reports ModelCallError', async () => {
    server.handle(() => ({ hang: true }));
    const cfg = config({}, { openai: { type: 'openai', timeout_ms: 150, max_retries: 1 } });
    const r = runner({}, cfg);
    const err = await r.complete(request('hi')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ attempts: 2, status: undefined });
    expect((err as Error).message).toContain('no response within 150 ms after 2 attempts');
    expect(server.calls).toHaveLength(2);
    expect(r.usage).toMatchObject({ calls: 0, retries: 1 });
  });

  it('turns a malformed body into an error after two retries, and keeps working', async () => {
    server.handle((call) => (lastUserMessage(call) === 'bad' ? { malformed: true } : { text: 'fine' }));
    const r = runner();
    const err = await r.complete(request('bad')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ attempts: 3 });
    expect((err as Error).message).toContain('malformed response after 3 attempts');
    expect((await r.complete(request('good'))).text).toBe('fine');
    expect(server.calls).toHaveLength(4);
  });

  it('treats valid JSON without choices as malformed', async () => {
    server.handle((_call, index) =>
      index === 0 ? { malformed: true, body: '{"id":"x","object":"chat.completion"}' } : { text: 'second' },
    );
    const r = runner();
    expect((await r.complete(request('hi'))).text).toBe('second');
    expect(r.usage).toMatchObject({ calls: 1, retries: 1 });
  });

  it('treats a missing Anthropic content array as malformed', async () => {
    server.handle(() => ({ malformed: true, body: '{"type":"message","role":"assistant"}' }));
    const r = runner();
    const err = await r.complete(request('hi', { provider: 'anthropic', model: 'claude-haiku-4-5-20251001' })).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^anthropic claude-haiku-4-5-20251001: malformed response after 3 attempts: no content array/);
  });

  it('turns a connection reset into an error, and keeps working', async () => {
    server.handle((call) => (lastUserMessage(call) === 'reset' ? { drop: 'reset-before-headers' } : { text: 'fine' }));
    const cfg = config({}, { openai: { type: 'openai', max_retries: 1 } });
    const r = runner({}, cfg);
    const err = await r.complete(request('reset')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ attempts: 2, status: undefined });
    expect((err as Error).message).toContain(`connection to ${server.openaiBaseUrl} failed after 2 attempts: read ECONNRESET`);
    expect((await r.complete(request('ok'))).text).toBe('fine');
  });
});

describe('transport faults', () => {
  const DROPS: Drop[] = ['close-before-headers', 'reset-before-headers', 'close-after-headers', 'reset-after-headers', 'short-body'];
  const PROVIDERS = [
    ['openai', MODEL],
    ['anthropic', 'claude-haiku-4-5-20251001'],
  ] as const;

  it.each(DROPS.flatMap((drop) => PROVIDERS.map(([provider, model]) => [drop, provider, model] as const)))(
    'retries a connection dropped %s (%s) and then answers',
    async (drop, provider, model) => {
      server.handle((_call, index) => (index === 0 ? { drop } : { text: 'whole' }));
      const r = runner();
      const out = await r.complete(request('hi', { provider, model }));
      expect(out.text).toBe('whole');
      expect(r.usage).toMatchObject({ calls: 1, retries: 1 });
      expect(server.calls).toHaveLength(2);
    },
  );

  it('names the dropped connection when the retries run out', async () => {
    server.handle(() => ({ drop: 'reset-after-headers' }));
    const r = runner({}, config({}, { openai: { type: 'openai', max_retries: 1 } }));
    const err = await r.complete(request('hi')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ attempts: 2, status: undefined });
    // The cause's wording is the HTTP stack's; it must say the connection dropped.
    expect((err as Error).message).toMatch(
      new RegExp(
        `^openai ${MODEL}: connection to ${server.openaiBaseUrl} failed after 2 attempts: .*(ECONNRESET|other side closed|socket hang up|premature close)`,
        'i',
      ),
    );
  });

  it('times out a server that stalls after the headers, within timeout_ms, and retries', async () => {
    server.handle((_call, index) => (index === 0 ? { hang: true, afterHeaders: true } : { text: 'late but whole' }));
    const r = runner({}, config({}, { openai: { type: 'openai', timeout_ms: 200 } }));
    expect((await r.complete(request('hi'))).text).toBe('late but whole');
    expect(r.usage).toMatchObject({ calls: 1, retries: 1 });
  });

  it('retries a refused connection', async () => {
    const closed = await startModelServer();
    const baseUrl = closed.openaiBaseUrl;
    await closed.close();
    const r = runner({}, config({}, { gone: { type: 'openai', base_url: baseUrl, max_retries: 1 } }));
    const err = await r.complete(request('hi', { provider: 'gone' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 2 });
    expect((err as Error).message).toMatch(/connection to .* failed after 2 attempts: connect ECONNREFUSED/);
    expect(r.usage.retries).toBe(1);
  });

  it('retries a host name that does not resolve', async () => {
    const r = runner({}, config({}, { nowhere: { type: 'openai', base_url: 'http://promptgate-test.invalid/v1', max_retries: 1 } }));
    const err = await r.complete(request('hi', { provider: 'nowhere' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 2 });
    expect((err as Error).message).toMatch(
      /connection to http:\/\/promptgate-test\.invalid\/v1 failed after 2 attempts: getaddrinfo (ENOTFOUND|EAI_AGAIN)/,
    );
  });

  it('classifies transport failures by code or cause, whatever HTTP stack raised them', () => {
    const coded = (message: string, code: string, cause?: Error): Error => Object.assign(new Error(message, { cause }), { code });
    const transport = [
      new TypeError('terminated', { cause: coded('read ECONNRESET', 'ECONNRESET') }),
      new TypeError('fetch failed', { cause: coded('getaddrinfo EAI_AGAIN api.openai.com', 'EAI_AGAIN') }),
      coded('socket hang up', 'ECONNRESET'),
      coded('write EPIPE', 'EPIPE'),
      coded('Premature close', 'ERR_STREAM_PREMATURE_CLOSE'),
      coded('connect ETIMEDOUT 10.0.0.1:443', 'ETIMEDOUT'),
      new Error('request failed', { cause: new Error('wrapped', { cause: coded('other side closed', 'UND_ERR_SOCKET') }) }),
      new Error('socket hang up'),
    ];
    const notTransport = [
      new TypeError('x is not a function'),
      coded('invalid argument', 'UND_ERR_INVALID_ARG'),
      new SyntaxError('Unexpected end'),
    ];
    expect(transport.map(isTransportFailure)).toEqual(transport.map(() => true));
    expect(notTransport.map(isTransportFailure)).toEqual(notTransport.map(() => false));
  });
});

describe('cache', () => {
  it('makes no network call on a cached rerun', async () => {
    const cacheDir = await tempDir();
    const first = runner({ cacheDir });
    const a = await Promise.all(requests(20).map((q) => first.complete(q)));
    expect(first.usage).toMatchObject({ calls: 20, cached: 0 });
    expect(a.every((x) => !x.cached)).toBe(true);

    const second = runner({ cacheDir });
    const b = await Promise.all(requests(20).map((q) => second.complete(q)));
    expect(server.calls).toHaveLength(20);
    expect(second.usage).toMatchObject({ calls: 0, cached: 20, input_tokens: 0, output_tokens: 0, cost_usd: 0 });
    expect(b.map((x) => x.text)).toEqual(a.map((x) => x.text));
    expect(b.every((x) => x.cached && x.costUsd === 0)).toBe(true);
    expect(b.map((x) => [x.inputTokens, x.outputTokens])).toEqual(a.map((x) => [x.inputTokens, x.outputTokens]));
  });

  it('keys entries by sample, params and model', async () => {
    const cacheDir = await tempDir();
    const r = runner({ cacheDir });
    await r.complete(request('x'));
    await r.complete(request('x', { sample: 1 }));
    await r.complete(request('x', { params: { temperature: 0 } }));
    await r.complete(request('x', { model: 'gpt-4o-mini-2024-07-18' }));
    await r.complete(request('x'));
    expect(server.calls).toHaveLength(4);
    expect(r.usage).toMatchObject({ calls: 4, cached: 1 });
  });

  it('leaves no corrupt entry when writers are killed mid-write', { timeout: 180_000 }, async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'cache');
    // Child processes write 2 MB entries (several write calls each) as fast as they can
    // until SIGKILL, at a few different moments, so some kills land inside a write.
    const script = join(dir, 'writer.mjs');
    await build({
      stdin: {
        contents: `import { ResponseCache } from ${JSON.stringify(join(process.cwd(), 'src/engine/models/cache.ts'))};
          const [dir, round] = process.argv.slice(2);
          const cache = new ResponseCache(dir);
          const text = 'x'.repeat(2_000_000);
          for (let i = 0; ; i++) {
            await cache.set(ResponseCache.key({ type: 'openai', baseUrl: round, model: 'm', params: {}, messages: [], sample: i }), { text, inputTokens: i, outputTokens: 1 });
            if (i === 2) process.stdout.write('ready\\n');
          }`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'silent',
    });
    for (const delayMs of [0, 7, 13, 19, 29, 37, 47, 59, 71, 83]) {
      const child = spawn(process.execPath, [script, cacheDir, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL');
      await exited;
    }

    const cache = new ResponseCache(cacheDir);
    const entries: string[] = [];
    for (const shard of await readdir(cacheDir)) {
      for (const file of await readdir(join(cacheDir, shard))) if (file.endsWith('.json')) entries.push(join(cacheDir, shard, file));
    }
    expect(entries.length).toBeGreaterThanOrEqual(30);
    for (const file of entries) {
      const value = JSON.parse(await readFile(file, 'utf8')) as { text: string };
      expect(value.text).toHaveLength(2_000_000);
      expect((await cache.get(basename(file, '.json')))?.text).toHaveLength(2_000_000);
    }
  });

  it('treats a truncated or invalid entry as a miss and replaces it', async () => {
    const cacheDir = await tempDir();
    const r1 = runner({ cacheDir });
    await r1.complete(request('hello'));
    const key = ResponseCache.key({
      type: 'openai',
      baseUrl: server.openaiBaseUrl,
      model: MODEL,
      params: {},
      messages: [{ role: 'user', content: 'hello' }],
      sample: 0,
    });
    const cache = new ResponseCache(cacheDir);
    expect((await cache.get(key))?.text).toBe('hello');

    await writeFile(cache.pathOf(key), '{"text":"hel');
    expect(await cache.get(key)).toBeUndefined();
    await writeFile(cache.pathOf(key), '{"text":"hello","inputTokens":"2"}');
    expect(await cache.get(key)).toBeUndefined();

    const r2 = runner({ cacheDir });
    const out = await r2.complete(request('hello'));
    expect(out).toMatchObject({ text: 'hello', cached: false });
    expect(r2.usage).toMatchObject({ calls: 1, cached: 0 });
    expect((await cache.get(key))?.text).toBe('hello');
  });

  it('misses cleanly when the cache dir does not exist, and creates it on write', async () => {
    const cacheDir = join(await tempDir(), 'a', 'b');
    const cache = new ResponseCache(cacheDir);
    expect(await cache.get('ab'.repeat(32))).toBeUndefined();
    await cache.set('ab'.repeat(32), { text: 't', inputTokens: 1, outputTokens: 2 });
    expect(await cache.get('ab'.repeat(32))).toEqual({ text: 't', inputTokens: 1, outputTokens: 2 });
    expect(await readdir(join(cacheDir, 'ab'))).toEqual([`${'ab'.repeat(32)}.json`]);
  });

  it('reports an unwritable cache as a UserError saying to fix it or run without it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'not a directory');
    const r = runner({ cacheDir: join(dir, 'file') });
    const err = await r.complete(request('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('fix `cache:` in promptgate.yaml or run without the cache');
  });
});

describe('providers', () => {
  it('refuses the network calls of a provider without a key, naming it and its variable, while the cache still answers', async () => {
    const cacheDir = await tempDir();
    await runner({ cacheDir }).complete(request('cached'));
    server.reset();

    const env = { ...server.env(), OPENAI_API_KEY: undefined };
    const r = new ModelRunner({ config: config(), env, cacheDir });
    expect(() => r.assertReady(['anthropic', 'openai'])).not.toThrow();
    expect((await r.complete(request('cached'))).text).toBe('cached');
    const err = await r.complete(request('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingKeyError);
    expect(err).toMatchObject({ key: { provider: 'openai', env: 'OPENAI_API_KEY' } });
    expect((err as Error).message).toBe("no API key for provider 'openai': OPENAI_API_KEY is not set");
    // Refused calls are neither estimated nor counted.
    expect(await r.estimate([request('x'), request('cached')])).toMatchObject({ calls: 0, cached: 1 });

    const cfg = config({}, { local: { type: 'openai', base_url: server.openaiBaseUrl, api_key_env: 'OLLAMA_KEY' } });
    const r2 = new ModelRunner({ config: cfg, env: server.env() });
    await expect(r2.complete(request('x', { provider: 'local' }))).rejects.toMatchObject({ key: { provider: 'local', env: 'OLLAMA_KEY' } });
    expect(() => r2.assertReady(['nope'])).toThrow(UserError);
    expect(() => r2.assertReady(['nope'])).toThrow(/unknown provider 'nope'/);
    expect(server.calls).toHaveLength(0);
  });

  it('uses the provider key variable and base_url', async () => {
    const cfg = config({}, { local: { type: 'openai', base_url: server.openaiBaseUrl, api_key_env: 'OLLAMA_KEY' } });
    const r = new ModelRunner({ config: cfg, env: { OLLAMA_KEY: 'ollama-secret' } });
    expect((await r.complete(request('hi', { provider: 'local', model: 'llama3' }))).text).toBe('hi');
    expect(server.calls[0]!.headers['authorization']).toBe('Bearer ollama-secret');
  });

  it('sends Anthropic max_tokens 1024 by default and the system prompt apart', async () => {
    const r = runner();
    const messages = [
      { role: 'system' as const, content: 'be brief' },
      { role: 'user' as const, content: 'hello' },
    ];
    const out = await r.complete({
      provider: 'anthropic',
      model: 'claude-haiku-4-5-20251001',
      params: { temperature: 0 },
      messages,
      sample: 0,
    });
    expect(out.text).toBe('hello');
    await r.complete({ provider: 'anthropic', model: 'claude-haiku-4-5-20251001', params: { max_tokens: 50 }, messages, sample: 0 });
    const [first, second] = server.calls;
    expect(first).toMatchObject({ api: 'anthropic', system: 'be brief', messages: [{ role: 'user', content: 'hello' }] });
    expect(first!.params).toEqual({ temperature: 0, max_tokens: 1024, stream: false });
    // SDK 1.x sends the key as a bearer token; older versions used x-api-key.
    expect(first!.headers['x-api-key'] ?? first!.headers['authorization']).toMatch(new RegExp(`^(Bearer )?${TEST_ANTHROPIC_KEY}$`));
    expect(second!.params['max_tokens']).toBe(50);
  });

  it('passes OpenAI params through and keeps system messages in place', async () => {
    const r = runner();
    const messages = [
      { role: 'system' as const, content: 'sys' },
      { role: 'user' as const, content: 'u' },
    ];
    await r.complete({ provider: 'openai', model: MODEL, params: { temperature: 0.2, max_tokens: 10, top_p: 0.9 }, messages, sample: 0 });
    expect(server.calls[0]).toMatchObject({
      api: 'openai',
      model: MODEL,
      messages,
      params: { temperature: 0.2, max_tokens: 10, top_p: 0.9 },
    });
    expect(server.calls[0]!.system).toBeUndefined();
  });
});

describe('budget and cost', () => {
  it('stops exactly at max_calls', async () => {
    server.handle((call) => ({ text: lastUserMessage(call), latencyMs: 10 }));
    const r = runner({ budget: { max_calls: 5 } });
    const results = await Promise.allSettled(requests(12).map((q) => r.complete(q)));
    const refused = results.filter((x) => x.status === 'rejected');
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const x of refused) expect((x as PromiseRejectedResult).reason).toBeInstanceOf(BudgetExceededError);
    expect(String((refused[0] as PromiseRejectedResult).reason.message)).toMatch(/max_calls is 5.*budget\.max_calls/);
    expect(server.calls).toHaveLength(5);
    expect(r.usage.calls).toBe(5);
  });

  it('stops once max_cost_usd is spent, but still serves cache hits', async () => {
    server.handle(() => ({ text: 'x', inputTokens: 1000, outputTokens: 500 }));
    const cacheDir = await tempDir();
    // 0.0075 USD a call at gpt-4o-2024-11-20 list price; the third call would start at 0.015 >= 0.015.
    const r = runner({ cacheDir, concurrency: 1, budget: { max_cost_usd: 0.015 } });
    await r.complete(request('a'));
    await r.complete(request('b'));
    const err = await r.complete(request('c')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as Error).message).toMatch(/max_cost_usd is \$0\.015 .*\$0\.0150 was spent.*max-cost-usd/);
    expect((await r.complete(request('a'))).cached).toBe(true);
    expect(server.calls).toHaveLength(2);
  });

  it('estimates calls, tokens and cost before a run, counting what the cache already holds', async () => {
    const cacheDir = await tempDir();
    const r = runner({ cacheDir });
    await r.complete(request('a'));
    const ask = [request('a'), request('bbbbbbbb', { params: { max_tokens: 100 } }), request('c')];
    const e = await runner().estimate(ask);
    // Without a cache: 'bbbbbbbb' is 2 tokens in, 100 out (its max_tokens); 'c' is 1 in, 512 out (no max_tokens).
    expect(e).toEqual({
      calls: 3,
      cached: 0,
      inputTokens: 4,
      outputTokens: 1124,
      costUsd: expect.closeTo((4 * 2.5 + 1124 * 10) / 1e6, 12),
      observed: 0,
    });
    // With the cache: 'a' is answered, and its answer (1 token) bounds the others of its model.
    const longest = r.usage.output_tokens;
    const cached = await r.estimate(ask);
    expect(cached).toEqual({
      calls: 2,
      cached: 1,
      inputTokens: 3,
      outputTokens: 2 * longest,
      costUsd: expect.closeTo((3 * 2.5 + 2 * longest * 10) / 1e6, 12),
      observed: 2,
    });
    expect(server.calls).toHaveLength(1);
  });

  it('estimates from a stream of requests, pulling one chunk at a time instead of materialising them all', async () => {
    let pulled = 0;
    let pulledBeforeFirstLookupsSettled: number | undefined;
    function* planned(): Generator<ChatRequest> {
      for (let i = 0; i < 10_000; i++) {
        // Runs once the estimate first waits for its look-ups: by then only one chunk may have been pulled.
        if (i === 0) queueMicrotask(() => (pulledBeforeFirstLookupsSettled = pulled));
        pulled++;
        yield request(`q${i}`, { params: { max_tokens: 10 } });
      }
    }
    const e = await runner().estimate(planned());
    expect(pulledBeforeFirstLookupsSettled).toBeLessThanOrEqual(256);
    expect(e).toMatchObject({ calls: 10_000, cached: 0, outputTokens: 100_000 });
    expect(server.calls).toHaveLength(0);
  });

  it('refuses a run whose estimated calls exceed max_calls before any call, still serving cache hits', async () => {
    const cacheDir = await tempDir();
    await runner({ cacheDir }).complete(request('q0'));
    const r = runner({ cacheDir, budget: { max_calls: 3 } });
    const err = await r.estimate(requests(6)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as Error).message).toMatch(/needs 5 model calls \(1 more are cached\) but max_calls is 3/);
    expect((await r.complete(request('q0'))).cached).toBe(true);
    await expect(r.complete(request('q1'))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(server.calls).toHaveLength(1);
  });

  it('never lets concurrent calls jointly overspend max_cost_usd: calls in flight reserve their upper bound', async () => {
    server.handle(() => ({ text: 'x', inputTokens: 1000, outputTokens: 500, latencyMs: 20 }));
    // 4,000 characters (~1,000 tokens) in and max_tokens 500 out: at most $0.0075 a call, and exactly that spent.
    const r = runner({ concurrency: 4, budget: { max_cost_usd: 0.02 } });
    const results = await Promise.allSettled(
      requests(8, { params: { max_tokens: 500 } }).map((q, i) =>
        r.complete({ ...q, messages: [{ role: 'user', content: `${i}`.padEnd(4000, '.') }] }),
      ),
    );
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(2);
    expect(server.calls).toHaveLength(2);
    expect(r.usage.cost_usd).toBeCloseTo(0.015, 12);
  });

  it('takes the budget from config when no override is given', async () => {
    const r = runner({}, config({ budget: { max_calls: 1 } }));
    await r.complete(request('a'));
    await expect(r.complete(request('b'))).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it('computes cost from the usage tokens the API returns', async () => {
    server.handle(() => ({ text: 'x', inputTokens: 1000, outputTokens: 500 }));
    const r = runner({}, config({ pricing: { 'my-model': { input: 1, output: 2 } } }));
    const a = await r.complete(request('a'));
    expect(a).toMatchObject({ inputTokens: 1000, outputTokens: 500 });
    expect(a.costUsd).toBeCloseTo(0.0075, 12);
    const b = await r.complete(request('b', { model: 'my-model' }));
    expect(b.costUsd).toBeCloseTo(0.002, 12);
    const c = await r.complete(request('c', { model: 'unknown-model' }));
    expect(c.costUsd).toBe(0);
    const d = await r.complete(request('d', { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' }));
    expect(d.costUsd).toBeCloseTo((1000 * 3 + 500 * 15) / 1e6, 12);
    expect(r.usage).toMatchObject({ calls: 4, input_tokens: 4000, output_tokens: 2000 });
    expect(r.usage.cost_usd).toBeCloseTo(0.0075 + 0.002 + 0.0105, 12);
  });

  it('prices config over built-in, and unknown models at 0', () => {
    expect(costOf('gpt-4o-mini-2024-07-18', 1_000_000, 1_000_000, {})).toBeCloseTo(0.75, 12);
    expect(costOf('gpt-4o-mini-2024-07-18', 1_000_000, 0, { 'gpt-4o-mini-2024-07-18': { input: 1, output: 1 } })).toBe(1);
    expect(costOf('nope', 10, 10, {})).toBe(0);
    expect(costOf('constructor', 10, 10, {})).toBe(0);
    for (const name of [
      'gpt-4o-2024-08-06',
      'gpt-4.1-2025-04-14',
      'gpt-4.1-mini-2025-04-14',
      'o3-mini-2025-01-31',
      'claude-sonnet-4-6',
      'claude-opus-4-6',
    ]) {
      expect(BUILTIN_PRICES[name], name).toBeDefined();
    }
  });
});
