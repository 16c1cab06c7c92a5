import type { Arm } from './bucketing.js';
export declare const EVENT_SCHEMA = "promptgate/event@1";
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
    model: {
        provider: string;
        name: string;
    };
    label: string;
    arm: Arm | null;
    segment: string | undefined;
    sourceUrl: string | undefined;
    fallback: boolean;
    manifestCommit: string | undefined;
}
/** SPEC 12.2, aliases included; attributes with no value (no canary, no segment) are left out. */
export declare function promptAttributes(p: ServedPrompt): Attributes;
/** null for no error; else a short one-line string (an Error's message, or the text given). */
export declare function shortError(error: unknown): string | null;
export declare function callEvent(p: ServedPrompt, callId: string, outcome: CallOutcome): CallEvent;
/** The call a feedback refers to: what `record` returned, or the same fields kept elsewhere. */
export type CallReference = Pick<CallEvent, 'call_id' | 'prompt' | 'version' | 'arm'>;
export declare function feedbackEvent(call: CallReference, metrics: Record<string, number>): FeedbackEvent;
/** The part of `@opentelemetry/api` used here, declared locally so the API stays optional. */
interface OtelSpan {
    setAttributes(attributes: Attributes): unknown;
    setStatus(status: {
        code: number;
        message?: string;
    }): unknown;
    end(): void;
}
interface OtelApi {
    trace: {
        getActiveSpan(): OtelSpan | undefined;
        getTracer(name: string): {
            startSpan(name: string, options: {
                attributes: Attributes;
            }): OtelSpan;
        };
    };
}
/** `@opentelemetry/api` when the application has it installed, else undefined; looked up once. */
export declare function loadOpenTelemetry(): Promise<OtelApi | undefined>;
export type Tracing = OtelApi | undefined;
/** Sets the prompt's attributes, the call id, usage, metrics and error status on the active span, if there is one. */
export declare function annotateActiveSpan(otel: Tracing, attributes: Attributes, event: CallEvent): void;
/** A feedback span (`promptgate.feedback: true`, SPEC 13) joined to its call by `promptgate.call_id`. */
export declare function feedbackSpan(otel: Tracing, event: FeedbackEvent): void;
export {};
