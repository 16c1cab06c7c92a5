// canary check's engine over generated event files: readers, join, window and decisions.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCanaries } from '../../src/engine/canary/check.js';
import { parseEventLine } from '../../src/engine/canary/events.js';
import { resolveEventFiles } from '../../src/engine/canary/read.js';
import { SRM_THRESHOLD } from '../../src/engine/canary/decide.js';
import { srmPValue } from '../../src/engine/canary/sequential.js';
import type { CanarySettings } from '../../src/engine/canary/types.js';
import { HOUR, START, generate, scratchDir, settings } from './events.js';

async function check(files: string[], rollout: CanarySettings, hoursAfterStart = 25) {
  const root = files[0] ? join(files[0], '..') : '/';
  const report = await checkCanaries({ rollouts: [rollout], files, root, now: START + hoursAfterStart * HOUR });
  return { report, prompt: report.prompts[0]! };
}

describe('canary check decisions', () => {
  it('advances a healthy step once it has lasted min_duration with min_samples per arm', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--weight', '25', '--hours', '25', '--calls-per-hour', '100']);
    const { report, prompt } = await check([file], settings({ steps: [5, 25, 50, 100], step: 1 }));
    expect(prompt.decision).toBe('advance');
    expect(prompt.next_weight).toBe(50);
    expect(report.result).toBe('pass');
    expect(prompt.srm_alarm).toBe(false);
    expect(prompt.metrics.map((m) => m.name)).toEqual(['error_rate', 'task_completed', 'user_rating']);
  });

  it('holds before min_duration and says what it waits for', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--hours', '3', '--calls-per-hour', '100']);
    const { prompt } = await check([file], settings(), 3);
    expect(prompt.decision).toBe('hold');
    expect(prompt.reason).toMatch(/has run 3h of 1d/);
  });

  it('promotes when the next step is the last (100)', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--hours', '25', '--calls-per-hour', '100']);
    const { prompt } = await check([file], settings({ steps: [50, 100] }));
    expect(prompt.decision).toBe('promote');
    expect(prompt.reason).toMatch(/2\.2\.0 becomes production/);
  });

  it('rolls back a 10-point quality drop, naming the metric, and fails', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl.gz'), ['--scenario', 'quality', '--hours', '6', '--calls-per-hour', '1000']);
    const { report, prompt } = await check([file], settings(), 6);
    expect(prompt.decision).toBe('rollback');
    expect(prompt.reason).toMatch(/task_completed/);
    const metric = prompt.metrics.find((m) => m.name === 'task_completed')!;
    expect(metric.regressed).toBe(true);
    expect(metric.interval![1]).toBeLessThan(0);
    expect(report.result).toBe('fail');
  });

  it('rolls back a 20% latency regression through the p95 exceedance test', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--scenario', 'latency', '--hours', '6', '--calls-per-hour', '1000']);
    const metrics = { latency_p95_ms: { direction: 'lower' as const, max_drop: 0 } };
    const { prompt } = await check([file], settings({ metrics }), 6);
    const latency = prompt.metrics[0]!;
    expect(latency.test).toBe('exceedance');
    expect(latency.canary!).toBeGreaterThan(latency.control! * 1.1);
    expect(prompt.decision).toBe('rollback');
  });

  it('does not roll back latency within max_drop', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--scenario', 'latency', '--hours', '6', '--calls-per-hour', '1000']);
    // p95 is about 1.8 s; 20% slower is about 360 ms more: a 1 s allowance covers it.
    const metrics = { latency_p95_ms: { direction: 'lower' as const, max_drop: 1000 } };
    const { prompt } = await check([file], settings({ metrics }), 6);
    expect(prompt.metrics[0]!.regressed).toBe(false);
  });

  it('holds with an SRM alarm and fails when canary events go missing', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--scenario', 'srm', '--hours', '6', '--calls-per-hour', '500']);
    const { report, prompt } = await check([file], settings(), 6);
    expect(prompt.decision).toBe('hold');
    expect(prompt.srm_alarm).toBe(true);
    expect(prompt.reason).toMatch(/Sample-ratio mismatch/);
    expect(report.result).toBe('fail');
  });
});

describe('canary events', () => {
  it('decides the same from OTLP/JSON lines as from promptgate JSONL', async () => {
    const dir = await scratchDir();
    const args = ['--scenario', 'quality', '--hours', '4', '--calls-per-hour', '600', '--seed', '7'];
    const jsonl = await generate(join(dir, 'e.jsonl'), args);
    const otlp = await generate(join(dir, 'o.jsonl.gz'), [...args, '--format', 'otlp']);
    const a = (await check([jsonl], settings(), 4)).prompt;
    const b = (await check([otlp], settings(), 4)).prompt;
    expect(b.arms).toEqual(a.arms);
    expect(b.decision).toBe(a.decision);
    for (const [i, m] of a.metrics.entries()) {
      expect(b.metrics[i]!.n).toEqual(m.n);
      expect(b.metrics[i]!.difference).toBeCloseTo(m.difference!, 9);
    }
  });

  it('reads OTLP spans: latency from start/end, error from status, feedback flag, metric attributes', () => {
    const span = (attributes: unknown[], extra: object = {}) =>
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              { spans: [{ startTimeUnixNano: '1796032800000000000', endTimeUnixNano: '1796032801250000000', attributes, ...extra }] },
            ],
          },
        ],
      });
    const s = (key: string, v: string) => ({ key, value: { stringValue: v } });
    const common = [
      s('gen_ai.prompt.name', 'p'),
      s('gen_ai.prompt.version', '1.0.0'),
      s('promptgate.arm', 'canary'),
      s('promptgate.call_id', 'x'),
    ];
    const call = parseEventLine(
      span([...common, { key: 'promptgate.metric.score', value: { doubleValue: 0.5 } }], { status: { code: 2, message: 'boom' } }),
    );
    expect(call).toEqual({
      events: [
        {
          type: 'call',
          ts: 1796032801250,
          callId: 'x',
          prompt: 'p',
          version: '1.0.0',
          arm: 'canary',
          latencyMs: 1250,
          inputTokens: null,
          outputTokens: null,
          error: true,
          metrics: { score: 0.5 },
        },
      ],
    });
    const feedback = parseEventLine(
      span([
        ...common,
        { key: 'promptgate.feedback', value: { boolValue: true } },
        { key: 'promptgate.metric.user_rating', value: { intValue: '1' } },
      ]),
    );
    expect(feedback).toMatchObject({ events: [{ type: 'feedback', callId: 'x', metrics: { user_rating: 1 } }] });
    // Spans of other instrumentation are not events, and not malformed either.
    expect(parseEventLine(span([s('http.method', 'GET')]))).toEqual({ events: [] });
  });

  it('joins feedback to its call (latest ts wins), drops it for errored and out-of-window calls', async () => {
    const dir = await scratchDir();
    const ev = (o: object) => JSON.stringify({ schema: 'promptgate/event@1', prompt: 'support-refund', ...o });
    const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
    const call = (id: string, arm: string, minutes: number, extra: object = {}) =>
      ev({
        type: 'call',
        ts: at(minutes),
        call_id: id,
        version: arm === 'canary' ? '2.2.0' : '2.1.0',
        arm,
        latency_ms: 100,
        error: null,
        metrics: {},
        ...extra,
      });
    const fb = (id: string, minutes: number, rating: number) =>
      ev({ type: 'feedback', ts: at(minutes), call_id: id, version: '2.2.0', arm: 'canary', metrics: { user_rating: rating } });
    const lines = [
      fb('a', 30, 0), // feedback may come before its call in the files
      call('a', 'canary', 10),
      fb('a', 20, 1), // older than the first: loses
      call('b', 'canary', 10, { error: 'timeout' }),
      fb('b', 15, 1), // errored call: no metric
      call('c', 'canary', -30), // before the step
      fb('c', 5, 1),
      fb('zzz', 5, 1), // no such call
      call('d', 'control', 12, { metrics: { user_rating: 1 } }),
      fb('d', 40, 0), // feedback supersedes the call's own value
    ];
    const file = join(dir, 'e.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const { prompt } = await check([file], settings({ metrics: { user_rating: { direction: 'higher', max_drop: 0 } } }), 1);
    const rating = prompt.metrics[0]!;
    expect(rating.n).toEqual({ control: 1, canary: 1 });
    expect(rating.canary).toBe(0);
    expect(rating.control).toBe(0);
    expect(prompt.arms.canary.calls).toBe(2);
    expect(prompt.ignored.beforeStep).toBe(1);
    expect(prompt.ignored.unmatchedFeedback).toBe(3);
  });

  it('counts a call delivered twice (same call_id) once: duplicates flip no decision and raise no SRM alarm', async () => {
    const dir = await scratchDir();
    const clean = await generate(join(dir, 'clean.jsonl'), ['--hours', '25', '--calls-per-hour', '100']);
    const lines = (await readFile(clean, 'utf8')).trim().split('\n');
    const canaryCalls = lines.filter((l) => l.includes('"type":"call"') && l.includes('"arm":"canary"'));
    const erroredCanaryCalls = canaryCalls.filter((l) => !l.includes('"error":null'));
    expect(erroredCanaryCalls.length).toBeGreaterThan(0);
    // A collector that re-exported the canary's batches twice, and retried its failed calls 20 times more.
    const duplicates = [...canaryCalls, ...canaryCalls, ...Array.from({ length: 20 }, () => erroredCanaryCalls).flat()];
    const noisy = join(dir, 'noisy.jsonl');
    await writeFile(noisy, `${[...lines, ...duplicates].join('\n')}\n`);

    const rollout = settings({ steps: [50, 75, 100] });
    const expected = (await check([clean], rollout)).prompt;
    const { prompt, report } = await check([noisy], rollout);
    expect(expected.decision).toBe('advance');
    // Counted per line, the canary would hold three times its share: an SRM alarm.
    const control = expected.arms.control.calls;
    expect(srmPValue(control, expected.arms.canary.calls + duplicates.length, 0.5)).toBeLessThan(SRM_THRESHOLD);
    expect({ ...prompt, ignored: { ...prompt.ignored, duplicateCalls: 0 } }).toEqual(expected);
    expect(prompt.ignored.duplicateCalls).toBe(duplicates.length);
    expect(report.result).toBe('pass');
  });

  it('leaves out other prompts, other versions, events with no arm and clock-skewed ones, and counts them', async () => {
    const dir = await scratchDir();
    const ev = (o: object) =>
      JSON.stringify({
        schema: 'promptgate/event@1',
        type: 'call',
        ts: new Date(START + 60_000).toISOString(),
        prompt: 'support-refund',
        version: '2.1.0',
        arm: 'control',
        error: null,
        metrics: {},
        ...o,
      });
    const lines = [
      ev({}),
      ev({ prompt: 'other' }),
      ev({ version: '1.9.0' }),
      ev({ version: '2.2.0', arm: 'control' }), // the canary's version cannot be in the control arm
      ev({ arm: null }),
      ev({ ts: new Date(START + 48 * HOUR).toISOString() }),
    ];
    const file = join(dir, 'e.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const { prompt } = await check([file], settings(), 1);
    expect(prompt.arms.control.calls).toBe(1);
    expect(prompt.ignored).toMatchObject({ otherVersion: 2, noArm: 1, future: 1 });
  });

  it('reads several files and globs, gzip included', async () => {
    const dir = await scratchDir();
    await generate(join(dir, 'events', 'a.jsonl'), ['--hours', '2', '--calls-per-hour', '50', '--seed', '1']);
    await generate(join(dir, 'events', 'b.jsonl.gz'), ['--hours', '2', '--calls-per-hour', '50', '--seed', '2']);
    const files = await resolveEventFiles(['events/*.jsonl', 'events/*.jsonl.gz'], dir);
    expect(files).toHaveLength(2);
    const report = await checkCanaries({ rollouts: [settings()], files, root: dir, now: START + 2 * HOUR });
    expect(report.events.files).toEqual(['events/a.jsonl', 'events/b.jsonl.gz']);
    expect(report.prompts[0]!.arms.control.calls + report.prompts[0]!.arms.canary.calls).toBe(200);
  });
});

describe('canary bad input', () => {
  it('an events glob that matches nothing is an error, not a silent hold', async () => {
    const dir = await scratchDir();
    await expect(resolveEventFiles(['events/*.jsonl'], dir)).rejects.toThrow(/No event file matches "events\/\*\.jsonl"/);
  });

  it('skips and counts a few malformed lines, naming file and line', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--hours', '2', '--calls-per-hour', '100']);
    const { appendFile } = await import('node:fs/promises');
    await appendFile(file, '{"truncated": \n');
    const { report } = await check([file], settings(), 2);
    expect(report.events.malformed).toBe(1);
    expect(report.events.malformed_examples[0]).toMatch(/^e\.jsonl:\d+: not JSON$/);
  });

  it('fails past the threshold (more than 1% and at least 10 lines malformed)', async () => {
    const dir = await scratchDir();
    const file = join(dir, 'e.jsonl');
    await writeFile(
      file,
      `${Array.from({ length: 20 }, (_, i) => `{"schema":"promptgate/event@1","type":"call","ts":"nope${i}"}`).join('\n')}\n`,
    );
    await expect(check([file], settings(), 2)).rejects.toThrow(/20 of 20 event lines are malformed[\s\S]*e\.jsonl:1: "ts" is not a time/);
  });

  it('a corrupt gzip file is a clear error naming the file', async () => {
    const dir = await scratchDir();
    const file = join(dir, 'e.jsonl.gz');
    await writeFile(file, 'this is not gzip');
    await expect(check([file], settings(), 2)).rejects.toThrow(/e\.jsonl\.gz: cannot read events/);
  });

  it('a guarded metric no event carries holds the step and names the metrics the events do carry', async () => {
    const dir = await scratchDir();
    const file = await generate(join(dir, 'e.jsonl'), ['--hours', '25', '--calls-per-hour', '100']);
    const { prompt } = await check([file], settings({ metrics: { user_ratng: { direction: 'higher', max_drop: 0 } } }));
    expect(prompt.decision).toBe('hold');
    expect(prompt.reason).toMatch(
      /user_ratng: no call of either arm carries this metric; check its name \(the events carry task_completed, user_rating\)/,
    );
  });
});
