// Seeded promptgate/event@1 call events (SPEC 12.3) for the dashboard's tests and the demo:
// production and a canary of support-refund over some days, with latency, tokens, errors and
// a task_completed metric. Deterministic: the same options give the same lines.
const DAY_MS = 86_400_000;

export interface EventOptions {
  start: string;
  days: number;
  calls: number;
  /** Every n-th call goes to the canary. */
  canaryEvery?: number;
  production?: string;
  canary?: string;
}

export function supportRefundEvents({
  start,
  days,
  calls,
  canaryEvery = 4,
  production = '2.1.0',
  canary = '2.2.0',
}: EventOptions): string[] {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const from = Date.parse(start);
  const lines: string[] = [];
  for (let i = 0; i < calls; i++) {
    const isCanary = i % canaryEvery === 0;
    const error = random() < (isCanary ? 0.04 : 0.02) ? 'timeout' : null;
    lines.push(
      JSON.stringify({
        schema: 'promptgate/event@1',
        type: 'call',
        ts: new Date(from + (i / calls) * days * DAY_MS).toISOString(),
        call_id: `call-${i}`,
        prompt: 'support-refund',
        version: isCanary ? canary : production,
        hash: 'sha256:example',
        label: 'production',
        arm: isCanary ? 'canary' : 'control',
        segment: null,
        model: 'gpt-4o-2024-11-20',
        latency_ms: Math.round((isCanary ? 520 : 450) + random() * 700),
        input_tokens: 280 + Math.round(random() * 60),
        output_tokens: 60 + Math.round(random() * 40),
        error,
        metrics: error ? {} : { task_completed: random() < (isCanary ? 0.84 : 0.8) ? 1 : 0 },
      }),
    );
  }
  return lines;
}
