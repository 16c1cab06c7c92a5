// A hostile network: every fault a provider, a proxy or the wire produces, mixed in one
// run through both real SDKs, must leave the verdict, the scores and the calls exactly as
// a clean run has them.
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/engine/types.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { runPr } from './helpers/engine.js';
import { TONE_REGRESSION, exampleModel } from './helpers/example-model.js';
import { bumpPatch } from './helpers/example-repo.js';
import type { Handler, Reply } from './servers/model-server.js';

const fixture = useExampleFixture();

/**
 * What a request meets before it is answered, one schedule per request in turn: every
 * fault the issue lists, each within the default 4 retries.
 */
const SCHEDULES: Reply[][] = [
  [{ status: 429, retryAfter: 0.01, retryAfterHeader: 'retry-after' }],
  [{ status: 429, retryAfter: 0.01, retryAfterHeader: 'retry-after-ms' }],
  [{ status: 500 }, { status: 503, retryAfter: 0 }],
  [{ status: 529, retryAfter: 0 }],
  [{ drop: 'reset-before-headers' }],
  [{ drop: 'close-before-headers' }],
  [{ drop: 'reset-after-headers' }, { drop: 'close-after-headers' }],
  [{ drop: 'short-body' }],
  [{ malformed: true }, { malformed: true }],
  [{ hang: true }],
  [{ hang: true, afterHeaders: true }],
  [{ status: 502, retryAfter: 0 }, { drop: 'reset-after-headers' }, { malformed: true }, { status: 429, retryAfter: 0.01 }],
  [],
];

/** The example model behind a storm: the nth distinct request meets SCHEDULES[n % length], then is answered. */
function storm(): Handler {
  const attempts = new Map<string, { schedule: Reply[]; seen: number }>();
  return (call, index) => {
    const key = JSON.stringify([call.api, call.model, call.system, call.messages]);
    let entry = attempts.get(key);
    if (!entry) attempts.set(key, (entry = { schedule: SCHEDULES[attempts.size % SCHEDULES.length]!, seen: 0 }));
    const fault = entry.schedule[entry.seen++];
    return fault ?? exampleModel(call, index);
  };
}

/** Everything the gate decided, without timings. */
function decided(report: Report) {
  return {
    result: report.result,
    errors: report.errors,
    calls: report.usage.calls,
    prompts: report.prompts.map((p) => ({
      name: p.name,
      status: p.status,
      cases: p.cases,
      error_rate: p.error_rate,
      metrics: p.metrics.map(({ name, baseline, candidate, delta, ci95, p_value, regressed, below_min }) => ({
        name,
        baseline,
        candidate,
        delta,
        ci95,
        p_value,
        regressed,
        below_min,
      })),
    })),
  };
}

describe('a storm of transport and API faults', () => {
  it('gives the verdict, scores and calls of a clean run, through both SDKs', async () => {
    const repo = await fixture.repo();
    await repo.edit({
      // The hangs cost one timeout each; short, yet long enough for a loaded machine.
      'promptgate.yaml': (old) =>
        `${old}providers:\n  openai: { type: openai, timeout_ms: 3000 }\n  anthropic: { type: anthropic, timeout_ms: 3000 }\n`,
    });
    await repo.commit('short timeouts');
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit({
      'partials/tone.njk': (old) => old + TONE_REGRESSION,
      'prompts/support-refund.prompt.yaml': bumpPatch,
      'prompts/ticket-summary.prompt.yaml': (old) => bumpPatch(old).replace('Summarise', 'Carefully summarise'),
    });
    await repo.commit('change');

    const clean = await runPr(repo, fixture.server.env(), { cache: false });
    expect(clean.prompts.map((p) => [p.name, p.status])).toEqual([
      ['support-refund', 'regressed'],
      ['ticket-summary', 'pass'],
    ]);

    fixture.server.reset();
    fixture.server.handle(storm());
    const stormy = await runPr(repo, fixture.server.env(), { cache: false });

    expect(decided(stormy)).toEqual(decided(clean));
    const apis = new Set(fixture.server.calls.map((c) => c.api));
    expect(apis).toEqual(new Set(['openai', 'anthropic']));
    // Every fault cost exactly one retried attempt.
    expect(stormy.usage.retries).toBe(fixture.server.calls.length - clean.usage.calls);
    expect(stormy.usage.retries).toBeGreaterThan(clean.usage.calls);
  });
});
