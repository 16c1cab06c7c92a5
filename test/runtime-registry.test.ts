import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PromptNotFoundError,
  PromptRenderError,
  RegistryOpenError,
  openRegistry,
  type PromptEvent,
  type Registry,
} from '../src/runtime/index.js';
import { startBundleServer, type BundleServer } from './servers/bundle-server.js';
import { REFUND_V1, REFUND_V2, writeBundle } from './helpers/runtime-bundle.js';

let dir: string;
let server: BundleServer | undefined;
const errors: Error[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'promptgate-runtime-'));
  errors.length = 0;
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
  // Background refreshes must never become unhandled rejections.
  expect(unhandled).toEqual([]);
});

const VARS = { company_name: 'Acme', question: 'Can I get a refund?', vip: false };

function publish(production = '2.1.0', staging = '2.2.0'): Map<string, string> {
  return writeBundle(dir, [REFUND_V1, REFUND_V2], { 'support-refund': { labels: { production, staging } } });
}

async function serve(): Promise<BundleServer> {
  server = await startBundleServer(dir);
  return server;
}

function open(source: string, options: { ttlMs?: number; fallback?: string; timeoutMs?: number } = {}): Promise<Registry> {
  return openRegistry({ source, onError: (e) => void errors.push(e), ...options });
}

const manifestRequests = (s: BundleServer) => s.requests.filter((r) => r.path === 'manifest.json');
const artifactRequests = (s: BundleServer) => s.requests.filter((r) => r.path.startsWith('artifacts/'));

/** Lets the TTL pass; not a timed assertion: only that some time has gone by. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('openRegistry over HTTP', () => {
  it('serves the labelled version, renders it with includes from the artifact, and describes it', async () => {
    const shas = publish();
    const s = await serve();
    const registry = await open(s.url);
    const prompt = registry.get('support-refund');
    expect(prompt).toMatchObject({
      name: 'support-refund',
      version: '2.1.0',
      label: 'production',
      arm: null,
      fallback: false,
      model: { provider: 'openai', name: 'gpt-4o-2024-11-20', params: { temperature: 0 } },
    });
    expect(prompt.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(prompt.sourceUrl).toBe(
      `https://github.com/acme/app/blob/0123456789abcdef0123456789abcdef01234567/prompts/support-refund.prompt.yaml`,
    );
    // No autoescape: `&` stays as written.
    expect(prompt.render(VARS)).toEqual([
      { role: 'system', content: 'Be kind & brief.\nYou are a support agent for Acme.' },
      { role: 'user', content: 'Can I get a refund?' },
    ]);
    expect(registry.get('support-refund', { label: 'staging' }).version).toBe('2.2.0');
    expect(
      artifactRequests(s)
        .map((r) => r.path)
        .sort(),
    ).toEqual([...shas.values()].map((sha) => `artifacts/${sha}.json`).sort());
  });

  it('renders strictly: a missing variable names itself and the version, even one read only inside {% if %}', async () => {
    publish();
    const registry = await open(dir);
    const v1 = registry.get('support-refund');
    expect(() => v1.render({ question: 'q' })).toThrow(PromptRenderError);
    expect(() => v1.render({ question: 'q' })).toThrow('support-refund@2.1.0: template variable "company_name" is not defined');
    const v2 = registry.get('support-refund', { label: 'staging' });
    expect(() => v2.render({ company_name: 'Acme', question: 'q' })).toThrow(
      'support-refund@2.2.0: template variable "vip" is not defined',
    );
    expect(v2.render({ ...VARS, vip: true })[0]?.content).toBe('Be kind & brief.\nYou work for Acme. VIP customer.');
  });

  it('throws PromptNotFoundError naming the prompt and the label, and what the bundle has', async () => {
    publish();
    const registry = await open(dir);
    expect(() => registry.get('nope')).toThrow(PromptNotFoundError);
    expect(() => registry.get('nope', { label: 'staging' })).toThrow('prompt "nope" (label "staging") is not in the bundle at');
    expect(() => registry.get('support-refund', { label: 'prod' })).toThrow(
      /prompt "support-refund" has no label "prod" in the bundle at .*; its labels: production, staging/,
    );
    try {
      registry.get('support-refund', { label: 'qa' });
    } catch (error) {
      expect(error).toMatchObject({ name: 'PromptNotFoundError', prompt: 'support-refund', label: 'qa' });
    }
  });

  it('refreshes once after the TTL with If-None-Match, handles 304, and picks up a moved pointer', async () => {
    publish();
    const s = await serve();
    const registry = await open(s.url, { ttlMs: 5 });
    expect(manifestRequests(s)).toHaveLength(1);
    await pause(10);
    for (let i = 0; i < 1000; i++) registry.get('support-refund');
    await registry.refresh();
    // One refresh for all the gets; conditional on the ETag of the first answer, and 304.
    expect(manifestRequests(s)).toHaveLength(2);
    expect(manifestRequests(s)[1]).toMatchObject({ status: 304 });
    expect(manifestRequests(s)[1]?.ifNoneMatch).toMatch(/^".+"$/);

    publish('2.2.0', '2.2.0');
    await pause(10);
    expect(registry.get('support-refund').version).toBe('2.1.0'); // the stale manifest serves while the refresh runs
    await registry.refresh();
    expect(registry.get('support-refund').version).toBe('2.2.0');
    // Artifacts are immutable: each sha256 fetched once, whatever the manifest does.
    expect(artifactRequests(s)).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('starts no second refresh while one is in flight', async () => {
    publish();
    const s = await serve();
    const registry = await open(s.url, { ttlMs: 1 });
    const release = s.holdManifest();
    await pause(5);
    registry.get('support-refund');
    await pause(20); // the held request is in flight now
    for (let i = 0; i < 500; i++) expect(registry.get('support-refund').version).toBe('2.1.0');
    release();
    await registry.refresh();
    expect(manifestRequests(s)).toHaveLength(2);
  });

  it('keeps serving the last good manifest when refreshes fail, reports them, backs off, and flags fallback after 10 TTLs', async () => {
    publish();
    const s = await serve();
    const registry = await open(s.url, { ttlMs: 100 });
    s.mode = 'error';
    await pause(110);
    expect(registry.get('support-refund').fallback).toBe(false);
    await registry.refresh();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/refresh from http:.* failed, serving the last good manifest: GET .*manifest\.json answered HTTP 500/),
    ]);
    // Backoff: the failure pushed the next attempt out, so this get starts none.
    const before = s.requests.length;
    registry.get('support-refund');
    expect(s.requests.length).toBe(before);

    await pause(1100); // more than 10 TTLs since the last good load
    const stale = registry.get('support-refund');
    expect(stale).toMatchObject({ version: '2.1.0', fallback: true });
    expect(stale.attributes['promptgate.fallback']).toBe(true);
    await registry.refresh();

    s.mode = 'serve';
    await registry.refresh();
    expect(registry.get('support-refund').fallback).toBe(false);
  });

  it('never serves an artifact whose bytes do not match its sha256', async () => {
    publish();
    const s = await serve();
    const registry = await open(s.url, { ttlMs: 5 });
    const shas = publish('2.2.0');
    const sha = shas.get('support-refund@2.2.0') as string;
    // 2.2.0 was fetched at open (staging); a third version must be fetched on refresh.
    const v3 = { ...REFUND_V2, version: '2.3.0' };
    const more = writeBundle(dir, [REFUND_V1, REFUND_V2, v3], { 'support-refund': { labels: { production: '2.3.0', staging: '2.2.0' } } });
    const sha3 = more.get('support-refund@2.3.0') as string;
    s.tamper(`artifacts/${sha3}.json`, readFileSync(join(dir, 'artifacts', `${sha}.json`), 'utf8').replace('You work', 'We refund'));
    await pause(10);
    await registry.refresh();
    expect(registry.get('support-refund').version).toBe('2.1.0');
    expect(errors.at(-1)?.message).toContain(`artifacts/${sha3}.json: its bytes hash to`);
    expect(errors.at(-1)?.message).toContain('refusing to serve it');
  });

  it('survives the server going away: get keeps answering and never throws for a network reason', async () => {
    publish();
    const s = await serve();
    const registry = await open(s.url, { ttlMs: 2 });
    await s.close();
    server = undefined;
    for (let i = 0; i < 5; i++) {
      await pause(5);
      expect(registry.get('support-refund').render(VARS)).toHaveLength(2);
      await registry.refresh();
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/manifest\.json failed/);
  });
});

describe('open errors name the source and what was expected', () => {
  it('a bundle that is not there: HTTP 404, missing directory, missing manifest', async () => {
    const s = await serve();
    await expect(open(s.url)).rejects.toThrow(
      `source: GET ${s.url}manifest.json answered HTTP 404; expected a bundle written by \`promptgate publish --out DIR\``,
    );
    await expect(open(join(dir, 'nowhere'))).rejects.toThrow(`bundle directory ${join(dir, 'nowhere')} does not exist`);
    await expect(open(dir)).rejects.toThrow(`${join(dir, 'manifest.json')} does not exist`);
  });

  it('HTTP 500 and a timeout', async () => {
    const s = await serve();
    s.mode = 'error';
    await expect(open(s.url)).rejects.toThrow(RegistryOpenError);
    await expect(open(s.url)).rejects.toThrow('answered HTTP 500');
    s.mode = 'hang';
    await expect(open(s.url, { timeoutMs: 200 })).rejects.toThrow(`GET ${s.url}manifest.json did not answer within 200 ms`);
  });

  it('a manifest that does not parse, has the wrong schema, or a bad pointer', async () => {
    writeFileSync(join(dir, 'manifest.json'), '{"schema": "promptgate/manifest@1", ');
    await expect(open(dir)).rejects.toThrow(`${join(dir, 'manifest.json')} is not valid JSON`);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ schema: 'promptgate/manifest@2', prompts: {} }));
    await expect(open(dir)).rejects.toThrow('schema is "promptgate/manifest@2", expected "promptgate/manifest@1"');
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        schema: 'promptgate/manifest@1',
        prompts: { a: { labels: { production: { version: '1.0.0', sha256: '../../etc/passwd' } } } },
      }),
    );
    await expect(open(dir)).rejects.toThrow('prompts.a.labels.production: expected {"version": "...", "sha256": "<64 hex digits>"}');
  });

  it('an artifact whose bytes do not match, or that is another version than the manifest says', async () => {
    const shas = publish();
    const sha = shas.get('support-refund@2.1.0') as string;
    const s = await serve();
    s.tamper(`artifacts/${sha}.json`, '{}');
    await expect(open(s.url)).rejects.toThrow(`${s.url}artifacts/${sha}.json: its bytes hash to`);
    type Manifest = { prompts: Record<string, { labels: Record<string, { version: string }> }> };
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    manifest.prompts['support-refund']!.labels['production']!.version = '9.9.9';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(open(dir)).rejects.toThrow(`support-refund 9.9.9 points at artifacts/${sha}.json, which is support-refund@2.1.0`);
  });

  it('serves the fallback when the source cannot be read, names both when neither can, and leaves the fallback once the source answers', async () => {
    const fallbackDir = mkdtempSync(join(tmpdir(), 'promptgate-fallback-'));
    try {
      writeBundle(fallbackDir, [REFUND_V1], { 'support-refund': { labels: { production: '2.1.0' } } });
      const s = await serve();
      s.mode = 'error';
      const registry = await open(s.url, { fallback: fallbackDir, ttlMs: 5 });
      expect(registry.get('support-refund')).toMatchObject({ version: '2.1.0', fallback: true });
      expect(errors[0]?.message).toContain(`serving the fallback bundle ${fallbackDir}`);

      publish('2.2.0');
      s.mode = 'serve';
      await registry.refresh();
      expect(registry.get('support-refund')).toMatchObject({ version: '2.2.0', fallback: false });

      s.mode = 'error';
      const missing = join(fallbackDir, 'missing');
      const failure = await open(s.url, { fallback: missing }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RegistryOpenError);
      expect((failure as Error).message).toBe(
        `promptgate: cannot open the prompt registry: source: GET ${s.url}manifest.json answered HTTP 500; expected a bundle written by \`promptgate publish --out DIR\`; ` +
          `fallback: bundle directory ${missing} does not exist; expected a bundle written by \`promptgate publish --out DIR\``,
      );
      expect((failure as RegistryOpenError).causes).toHaveLength(2);
    } finally {
      rmSync(fallbackDir, { recursive: true, force: true });
    }
  });

  it('rejects bad options before any request', async () => {
    await expect(openRegistry({ source: '' })).rejects.toThrow('`source` must be the URL or directory of a published bundle');
    await expect(openRegistry({ source: dir, ttlMs: -1 })).rejects.toThrow('`ttlMs` must be a positive number of milliseconds, not -1');
  });
});

describe('events', () => {
  it('record and feedback emit promptgate/event@1 to onEvent; a throwing sink goes to onError, not to the caller', async () => {
    publish();
    const events: PromptEvent[] = [];
    const registry = await openRegistry({ source: dir, onEvent: (e) => void events.push(e) });
    const prompt = registry.get('support-refund', { segment: 'enterprise' });
    const call = prompt.record({ latency_ms: 420, input_tokens: 30, output_tokens: 12, metrics: { task_completed: 1 } });
    const feedback = registry.feedback(call, { user_rating: 0 });
    expect(events).toEqual([call, feedback]);
    expect(call).toEqual({
      schema: 'promptgate/event@1',
      type: 'call',
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      call_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      prompt: 'support-refund',
      version: '2.1.0',
      hash: prompt.hash,
      label: 'production',
      arm: null,
      segment: 'enterprise',
      model: 'gpt-4o-2024-11-20',
      latency_ms: 420,
      input_tokens: 30,
      output_tokens: 12,
      error: null,
      metrics: { task_completed: 1 },
    });
    expect(feedback).toEqual({
      schema: 'promptgate/event@1',
      type: 'feedback',
      ts: expect.any(String),
      call_id: call.call_id,
      prompt: 'support-refund',
      version: '2.1.0',
      arm: null,
      metrics: { user_rating: 0 },
    });
    expect(prompt.record({ error: new Error('429 Too Many Requests\nretry later') }).error).toBe(
      'Error: 429 Too Many Requests retry later',
    );

    const failing = await openRegistry({
      source: dir,
      onEvent: () => {
        throw new Error('disk full');
      },
      onError: (e) => void errors.push(e),
    });
    expect(() => failing.get('support-refund').record({})).not.toThrow();
    expect(errors.map((e) => e.message)).toEqual(['disk full']);
  });
});
