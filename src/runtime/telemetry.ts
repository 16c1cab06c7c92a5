// Telemetry of a call (SPEC 12.2, 12.3): the span attributes of a served prompt, the
// `promptgate/event@1` events, and, when the application has `@opentelemetry/api`
// installed, the same on its active span. The API is an optional peer dependency: loaded
// by name at run time when present, never bundled.
import type { Arm } from './bucketing.js';

export const EVENT_SCHEMA = 'promptgate/event@1';

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

/** What a call reported: usage, latency, an error, and any quality metrics known at once. */
export interface CallOutcome {
  latency_ms?: number;
  input_tokens?: number;
  output_tokens?: number;
  /** Anything truthy marks the call failed; an Error or string becomes the event's short `error`. */
  error?: unknown;
  metrics?: Record<string, number>;
}

export interface CallEvent {
  schema: typeof EVENT_SCHEMA;
  type: 'call';
  ts: string;
  call_id: string;
  prompt: string;
  version: string;
  hash: string;
  label: string;
  arm: Arm | null;
  segment: string | null;
  model: string;
  latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  error: string | null;
  metrics: Record<string, number>;
}

export interface FeedbackEvent {
  schema: typeof EVENT_SCHEMA;
  type: 'feedback';
  ts: string;
  call_id: string;
  prompt: string;
  version: string;
  arm: Arm | null;
  metrics: Record<string, number>;
}

export type PromptEvent = CallEvent | FeedbackEvent;

/** What a served prompt tells its telemetry; `undefined` fields are left out of the attributes. */
export interface ServedPrompt {
  name: string;
  version: string;
  hash: string;
  model: { provider: string; name: string };
  label: string;
  arm: Arm | null;
  segment: string | undefined;
  sourceUrl: string | undefined;
  fallback: boolean;
  manifestCommit: string | undefined;
}

/** SPEC 12.2, aliases included; attributes with no value (no canary, no segment) are left out. */
export function promptAttributes(p: ServedPrompt): Attributes {
  const all: Record<string, AttributeValue | undefined | null> = {
    'gen_ai.prompt.name': p.name,
    'gen_ai.prompt.version': p.version,
    'gen_ai.request.model': p.model.name,
    'gen_ai.provider.name': p.model.provider,
    'promptgate.prompt.hash': p.hash,
    'promptgate.label': p.label,
    'promptgate.arm': p.arm,
    'promptgate.segment': p.segment,
    'promptgate.source_url': p.sourceUrl,
    'promptgate.fallback': p.fallback,
    'promptgate.manifest.commit': p.manifestCommit,
    'langfuse.observation.prompt.name': p.name,
    'llm.prompt_template.version': p.version,
    'traceloop.prompt.key': p.name,
    'traceloop.prompt.version': p.version,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, AttributeValue] => e[1] !== undefined && e[1] !== null));
}

const MAX_ERROR_LENGTH = 200;

/** null for no error; else a short one-line string (an Error's message, or the text given). */
export function shortError(error: unknown): string | null {
  if (error === undefined || error === null || error === false) return null;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : 'error';
  const line = text.replace(/\s+/g, ' ').trim() || 'error';
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

function finite(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function callEvent(p: ServedPrompt, callId: string, outcome: CallOutcome): CallEvent {
  return {
    schema: EVENT_SCHEMA,
    type: 'call',
    ts: new Date().toISOString(),
    call_id: callId,
    prompt: p.name,
    version: p.version,
    hash: p.hash,
    label: p.label,
    arm: p.arm,
    segment: p.segment ?? null,
    model: p.model.name,
    latency_ms: finite(outcome.latency_ms),
    input_tokens: finite(outcome.input_tokens),
    output_tokens: finite(outcome.output_tokens),
    error: shortError(outcome.error),
    metrics: { ...outcome.metrics },
  };
}

/** The call a feedback refers to: what `record` returned, or the same fields kept elsewhere. */
export type CallReference = Pick<CallEvent, 'call_id' | 'prompt' | 'version' | 'arm'>;

export function feedbackEvent(call: CallReference, metrics: Record<string, number>): FeedbackEvent {
  return {
    schema: EVENT_SCHEMA,
    type: 'feedback',
    ts: new Date().toISOString(),
    call_id: call.call_id,
    prompt: call.prompt,
    version: call.version,
    arm: call.arm ?? null,
    metrics: { ...metrics },
  };
}

function metricAttributes(metrics: Record<string, number>): Attributes {
  return Object.fromEntries(Object.entries(metrics).map(([name, value]) => [`promptgate.metric.${name}`, value]));
}

/** The part of `@opentelemetry/api` used here, declared locally so the API stays optional. */
interface OtelSpan {
  setAttributes(attributes: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
interface OtelApi {
  trace: {
    getActiveSpan(): OtelSpan | undefined;
    getTracer(name: string): { startSpan(name: string, options: { attributes: Attributes }): OtelSpan };
  };
}

const SPAN_STATUS_ERROR = 2;
// A variable, so bundlers of the application leave the import alone when the API is absent.
const OTEL_API = '@opentelemetry/api';

let otelApi: Promise<OtelApi | undefined> | undefined;

/** `@opentelemetry/api` when the application has it installed, else undefined; looked up once. */
export function loadOpenTelemetry(): Promise<OtelApi | undefined> {
  otelApi ??= import(OTEL_API).then(
    (api: OtelApi & { default?: OtelApi }) => (api.trace ? api : api.default),
    () => undefined,
  );
  return otelApi;
}

export type Tracing = OtelApi | undefined;

/** Sets the prompt's attributes, the call id, usage, metrics and error status on the active span, if there is one. */
export function annotateActiveSpan(otel: Tracing, attributes: Attributes, event: CallEvent): void {
  const span = otel?.trace.getActiveSpan();
  if (!span) return;
  const usage: Record<string, number | null> = {
    'gen_ai.usage.input_tokens': event.input_tokens,
    'gen_ai.usage.output_tokens': event.output_tokens,
    'promptgate.latency_ms': event.latency_ms,
  };
  span.setAttributes({
    ...attributes,
    'promptgate.call_id': event.call_id,
    ...Object.fromEntries(Object.entries(usage).filter((e): e is [string, number] => e[1] !== null)),
    ...metricAttributes(event.metrics),
  });
  if (event.error !== null) span.setStatus({ code: SPAN_STATUS_ERROR, message: event.error });
}

/** A feedback span (`promptgate.feedback: true`, SPEC 13) joined to its call by `promptgate.call_id`. */
export function feedbackSpan(otel: Tracing, event: FeedbackEvent): void {
  if (!otel) return;
  const attributes: Attributes = {
    'promptgate.feedback': true,
    'promptgate.call_id': event.call_id,
    'gen_ai.prompt.name': event.prompt,
    'gen_ai.prompt.version': event.version,
    ...(event.arm ? { 'promptgate.arm': event.arm } : {}),
    ...metricAttributes(event.metrics),
  };
  otel.trace.getTracer('promptgate').startSpan('promptgate feedback', { attributes }).end();
}
