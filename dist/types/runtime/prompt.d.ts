import type { Arm } from './bucketing.js';
import type { RenderedMessage, PromptVersion } from './version.js';
import { type Attributes, type CallEvent, type CallOutcome } from './telemetry.js';
/** Where a served prompt's calls go: the registry's event sink and tracing. */
export interface CallSink {
    recordCall(attributes: Attributes, event: CallEvent): void;
}
export interface ServeContext {
    label: string;
    segment: string | undefined;
    arm: Arm | null;
    fallback: boolean;
    manifestCommit: string | undefined;
}
export declare class Prompt {
    private readonly served;
    private readonly context;
    private readonly sink;
    readonly name: string;
    readonly version: string;
    /** The SPEC 1.2 content hash of this version (`sha256:...`). */
    readonly hash: string;
    readonly model: {
        provider: string;
        name: string;
        params: Record<string, unknown>;
    };
    readonly label: string;
    readonly segment: string | undefined;
    /** `canary` or `control` while a canary runs for this label, else null. */
    readonly arm: Arm | null;
    /** Permalink to the prompt file at the commit it was released from, when known. */
    readonly sourceUrl: string | undefined;
    /** True when served from the fallback bundle, or from a copy whose refreshes failed for more than 10 TTLs. */
    readonly fallback: boolean;
    private attributeCache;
    constructor(served: PromptVersion, context: ServeContext, sink: CallSink);
    /** The version's messages rendered with `vars`; strict: a variable the templates read and `vars` lacks throws. */
    render(vars?: Record<string, unknown>): RenderedMessage[];
    /** OpenTelemetry attributes for the call's span (SPEC 12.2), without `promptgate.call_id` (set by `record`). */
    get attributes(): Attributes;
    /** Reports the call made with this prompt: emits a `call` event and annotates the active span. Returns the event, whose `call_id` `feedback` takes. */
    record(outcome?: CallOutcome): CallEvent;
    private description;
}
