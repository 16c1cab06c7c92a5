import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonlSink, openRegistry, type CallEvent } from '../src/runtime/index.js';
import { BUNDLE_COMMIT, REFUND_V1, REFUND_V2, writeBundle } from './helpers/runtime-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'promptgate-telemetry-'));
const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager().enable();

beforeAll(() => {
  writeBundle(dir, [REFUND_V1, REFUND_V2], {
    'support-refund': { labels: { production: '2.1.0' }, canary: { version: '2.2.0', steps: [50, 100], step: 0 } },
  });
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});

afterAll(() => {
  trace.disable();
  context.disable();
  rmSync(dir, { recursive: true, force: true });
});

describe('telemetry (SPEC 12.2, 12.3)', () => {
  it('prompt.attributes carries every key with a value, the aliases, and leaves out what has none', async () => {
    const registry = await openRegistry({ source: dir });
    const prompt = registry.get('support-refund', { key: 'user-1', segment: 'enterprise' });
    expect(prompt.attributes).toEqual({
      'gen_ai.prompt.name': 'support-refund',
      'gen_ai.prompt.version': prompt.version,
      'gen_ai.request.model': 'gpt-4o-2024-11-20',
      'gen_ai.provider.name': 'openai',
      'promptgate.prompt.hash': prompt.hash,
      'promptgate.label': 'production',
      'promptgate.arm': prompt.arm,
      'promptgate.segment': 'enterprise',
      'promptgate.source_url': prompt.sourceUrl,
      'promptgate.fallback': false,
      'promptgate.manifest.commit': BUNDLE_COMMIT,
      'langfuse.observation.prompt.name': 'support-refund',
      'llm.prompt_template.version': prompt.version,
      'traceloop.prompt.key': 'support-refund',
      'traceloop.prompt.version': prompt.version,
    });
    const plain = registry.get('support-refund', { label: 'production', key: 'x' });
    expect(Object.keys(plain.attributes)).not.toContain('promptgate.segment');
    expect(Object.keys(plain.attributes)).not.toContain('promptgate.call_id');
  });

  it('record sets the attributes, call id, usage, metrics and error status on the active span; feedback makes a feedback span', async () => {
    exporter.reset();
    const registry = await openRegistry({ source: dir });
    const tracer = trace.getTracer('app');
    const call = await tracer.startActiveSpan('chat support-refund', async (span) => {
      const prompt = registry.get('support-refund', { key: 'user-7' });
      await Promise.resolve(); // the active span survives an await
      const recorded = prompt.record({
        latency_ms: 812,
        input_tokens: 120,
        output_tokens: 40,
        error: 'rate limited',
        metrics: { task_completed: 0 },
      });
      span.end();
      return recorded;
    });
    registry.feedback(call, { user_rating: 1 });
    const [chat, feedback] = exporter.getFinishedSpans();
    expect(chat?.name).toBe('chat support-refund');
    expect(chat?.attributes).toMatchObject({
      'gen_ai.prompt.name': 'support-refund',
      'gen_ai.prompt.version': call.version,
      'promptgate.arm': call.arm,
      'promptgate.call_id': call.call_id,
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 40,
      'promptgate.metric.task_completed': 0,
      'traceloop.prompt.key': 'support-refund',
    });
    expect(chat?.status).toEqual({ code: 2, message: 'rate limited' });
    expect(feedback?.attributes).toEqual({
      'promptgate.feedback': true,
      'promptgate.call_id': call.call_id,
      'gen_ai.prompt.name': 'support-refund',
      'gen_ai.prompt.version': call.version,
      'promptgate.arm': call.arm,
      'promptgate.metric.user_rating': 1,
    });
  });

  it('jsonlSink appends one whole line per event under concurrent use', async () => {
    const file = join(dir, 'events', 'calls.jsonl');
    const sink = jsonlSink(file);
    const registry = await openRegistry({ source: dir, onEvent: sink });
    const calls = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await new Promise((resolve) => setImmediate(resolve));
        const call = registry.get('support-refund', { key: `u${i}` }).record({ latency_ms: i, metrics: { long: 'x'.length } });
        registry.feedback(call, { user_rating: i % 2 });
        return call;
      }),
    );
    sink.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as CallEvent);
    expect(events).toHaveLength(400);
    expect(new Set(events.filter((e) => e.type === 'call').map((e) => e.call_id))).toEqual(new Set(calls.map((c) => c.call_id)));
  });

  it('jsonlSink has written every event when the process exits right after recording', () => {
    const file = join(dir, 'exit.jsonl');
    const runtime = pathToFileURL(join(process.cwd(), 'dist/runtime/index.js')).href;
    const script = `
      const { openRegistry, jsonlSink } = await import(${JSON.stringify(runtime)});
      const registry = await openRegistry({ source: ${JSON.stringify(dir)}, onEvent: jsonlSink(${JSON.stringify(file)}) });
      for (let i = 0; i < 50; i++) registry.get('support-refund', { key: 'k' + i }).record({ latency_ms: i });
      process.exit(0);`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(50);
  });
});
