// Event lines -> canary events. One line is either a `promptgate/event@1` record (SPEC 12.3,
// what the runtime library's jsonlSink writes) or an OTLP/JSON line as the OpenTelemetry
// Collector's file exporter writes it (SPEC 13), which may carry many spans.

export type Arm = 'control' | 'canary';

export interface CallEvent {
  type: 'call';
  /** When the call ended, in epoch milliseconds. */
  ts: number;
  callId: string | null;
  prompt: string;
  version: string;
  arm: Arm | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  error: boolean;
  metrics: Record<string, number>;
}

export interface FeedbackEvent {
  type: 'feedback';
  ts: number;
  callId: string;
  prompt: string;
  version: string;
  arm: Arm | null;
  metrics: Record<string, number>;
}

export type CanaryEvent = CallEvent | FeedbackEvent;

/** What a line held: events (possibly none, e.g. spans of other instrumentation) or why it is malformed. */
export type ParsedLine = { events: CanaryEvent[] } | { malformed: string };

export const EVENT_SCHEMA = 'promptgate/event@1';

export function parseEventLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { malformed: 'not JSON' };
  }
  if (!isObject(value)) return { malformed: 'not a JSON object' };
  if (value['schema'] === EVENT_SCHEMA) {
    const event = fromPromptgateRecord(value);
    return typeof event === 'string' ? { malformed: event } : { events: [event] };
  }
  if (Array.isArray(value['resourceSpans'])) return fromOtlp(value['resourceSpans']);
  return { malformed: `neither a ${EVENT_SCHEMA} record nor OTLP/JSON (resourceSpans)` };
}

function fromPromptgateRecord(r: Record<string, unknown>): CanaryEvent | string {
  const type = r['type'];
  if (type !== 'call' && type !== 'feedback') return `"type" must be "call" or "feedback"`;
  const ts = parseTime(r['ts']);
  if (ts === null) return '"ts" is not a time (ISO 8601 or epoch milliseconds)';
  if (typeof r['prompt'] !== 'string' || typeof r['version'] !== 'string') return '"prompt" and "version" must be strings';
  const metrics = numericMetrics(r['metrics']);
  if (typeof metrics === 'string') return metrics;
  const callId = typeof r['call_id'] === 'string' && r['call_id'] !== '' ? r['call_id'] : null;
  const base = { ts, prompt: r['prompt'], version: r['version'], arm: armOf(r['arm']), metrics };
  if (type === 'feedback') return callId === null ? 'feedback without a "call_id"' : { type, callId, ...base };
  return {
    type,
    callId,
    ...base,
    latencyMs: finiteOrNull(r['latency_ms']),
    inputTokens: finiteOrNull(r['input_tokens']),
    outputTokens: finiteOrNull(r['output_tokens']),
    error: r['error'] !== null && r['error'] !== undefined && r['error'] !== false,
  };
}

const METRIC_PREFIX = 'promptgate.metric.';
/** OTLP status code 2 is STATUS_CODE_ERROR (proto enum, written as a number in OTLP/JSON). */
const STATUS_ERROR = 2;

function fromOtlp(resourceSpans: unknown[]): ParsedLine {
  const events: CanaryEvent[] = [];
  for (const resource of resourceSpans) {
    if (!isObject(resource)) return { malformed: 'a resourceSpans entry is not an object' };
    const resourceAttributes = isObject(resource['resource']) ? attributeMap(resource['resource']['attributes']) : new Map();
    for (const scope of arrayOf(resource['scopeSpans'])) {
      if (!isObject(scope)) return { malformed: 'a scopeSpans entry is not an object' };
      for (const span of arrayOf(scope['spans'])) {
        if (!isObject(span)) return { malformed: 'a span is not an object' };
        const attributes = new Map([...resourceAttributes, ...attributeMap(span['attributes'])]);
        const prompt = attributes.get('gen_ai.prompt.name');
        // Spans of other instrumentation (HTTP, database...) are not events of a prompt.
        if (typeof prompt !== 'string') continue;
        const event = fromSpan(span, prompt, attributes);
        if (typeof event === 'string') return { malformed: event };
        events.push(event);
      }
    }
  }
  return { events };
}

function fromSpan(span: Record<string, unknown>, prompt: string, attributes: Map<string, unknown>): CanaryEvent | string {
  const version = attributes.get('gen_ai.prompt.version');
  if (typeof version !== 'string') return `span of prompt "${prompt}" has no gen_ai.prompt.version`;
  const start = nanosToMs(span['startTimeUnixNano']);
  const end = nanosToMs(span['endTimeUnixNano']);
  if (end === null) return `span of prompt "${prompt}" has no endTimeUnixNano`;
  const metrics: Record<string, number> = {};
  for (const [key, value] of attributes) {
    if (!key.startsWith(METRIC_PREFIX)) continue;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isFinite(number)) return `attribute ${key} is not a number`;
    metrics[key.slice(METRIC_PREFIX.length)] = number;
  }
  const callIdValue = attributes.get('promptgate.call_id');
  const callId = typeof callIdValue === 'string' && callIdValue !== '' ? callIdValue : null;
  const arm = armOf(attributes.get('promptgate.arm'));
  if (attributes.get('promptgate.feedback') === true) {
    if (callId === null) return 'feedback span without promptgate.call_id';
    return { type: 'feedback', ts: end, callId, prompt, version, arm, metrics };
  }
  const status = isObject(span['status']) ? span['status']['code'] : undefined;
  return {
    type: 'call',
    ts: end,
    callId,
    prompt,
    version,
    arm,
    latencyMs: start === null ? null : end - start,
    inputTokens: finiteOrNull(attributes.get('gen_ai.usage.input_tokens')),
    outputTokens: finiteOrNull(attributes.get('gen_ai.usage.output_tokens')),
    error: status === STATUS_ERROR || status === 'STATUS_CODE_ERROR',
    metrics,
  };
}

/** OTLP/JSON attributes: [{ key, value: { stringValue | intValue | doubleValue | boolValue } }]. */
function attributeMap(list: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const entry of arrayOf(list)) {
    if (!isObject(entry) || typeof entry['key'] !== 'string' || !isObject(entry['value'])) continue;
    const v = entry['value'];
    if ('stringValue' in v) map.set(entry['key'], v['stringValue']);
    else if ('boolValue' in v) map.set(entry['key'], v['boolValue']);
    // int64 is a decimal string in OTLP/JSON.
    else if ('intValue' in v) map.set(entry['key'], Number(v['intValue']));
    else if ('doubleValue' in v) map.set(entry['key'], Number(v['doubleValue']));
  }
  return map;
}

function nanosToMs(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  if (!/^\d{1,20}$/.test(text)) return null;
  // Milliseconds with the sub-millisecond part kept: split so no precision is lost above 2^53.
  return Number(text.slice(0, -6) || '0') + Number(text.slice(-6)) / 1e6;
}

function parseTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function numericMetrics(value: unknown): Record<string, number> | string {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return '"metrics" must be an object';
  const metrics: Record<string, number> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === null) continue;
    if (typeof v === 'boolean') metrics[name] = v ? 1 : 0;
    else if (typeof v === 'number' && Number.isFinite(v)) metrics[name] = v;
    else return `metric "${name}" is not a number`;
  }
  return metrics;
}

function armOf(value: unknown): Arm | null {
  return value === 'control' || value === 'canary' ? value : null;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
