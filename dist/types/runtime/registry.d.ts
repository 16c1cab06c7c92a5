import { type PublishedManifest } from './bundle.js';
import { Rollout } from './bucketing.js';
import { Prompt } from './prompt.js';
import { type BundleSource, type FetchFunction } from './sources.js';
import { type Attributes, type CallEvent, type CallReference, type FeedbackEvent, type PromptEvent, type Tracing } from './telemetry.js';
import { PromptVersion } from './version.js';
export interface RegistryOptions {
    /** URL (`https://`, `http://`) or local directory of a published bundle (SPEC 10.4). */
    source: string;
    /** A bundle directory shipped with the application, served when `source` cannot be read at open. */
    fallback?: string;
    /** How long a loaded manifest is fresh (default 60 s). */
    ttlMs?: number;
    /** Limit on each HTTP request, body included (default 10 s). */
    timeoutMs?: number;
    /** The fetch to use (default: the global one), for tests and platforms with their own. */
    fetch?: FetchFunction;
    /** Receives call and feedback events (SPEC 12.3), e.g. `jsonlSink('events.jsonl')`. */
    onEvent?: (event: PromptEvent) => void | Promise<void>;
    /** Receives what went wrong in the background: failed refreshes, a throwing `onEvent`. */
    onError?: (error: Error) => void;
}
export interface GetOptions {
    /** Default `production`. */
    label?: string;
    /** The unit the canary splits by (a user or account id): the same key always gets the same arm. */
    key?: string;
    /** Segment-specific labels apply when the manifest lists this segment. */
    segment?: string;
}
/** A manifest with every artifact it points at, verified and compiled. */
interface LoadedBundle {
    manifest: PublishedManifest;
    etag: string | undefined;
    /** sha256 -> version: exactly those the manifest points at, so older versions are dropped. */
    versions: Map<string, PromptVersion>;
    rollouts: Map<string, Rollout>;
}
export declare class Registry {
    private readonly source;
    private bundle;
    /** True while serving the fallback bundle: until a refresh from `source` succeeds. */
    private fromFallback;
    private readonly options;
    private readonly otel;
    private lastSuccessAt;
    private nextRefreshAt;
    private failures;
    private inFlight;
    /** @internal Use `openRegistry`. */
    constructor(source: BundleSource, bundle: LoadedBundle, 
    /** True while serving the fallback bundle: until a refresh from `source` succeeds. */
    fromFallback: boolean, options: {
        ttlMs: number;
        onEvent?: RegistryOptions['onEvent'];
        onError?: RegistryOptions['onError'];
    }, otel: Tracing);
    /**
     * The version `label` points at now (for `segment` when the manifest lists it), with the
     * canary arm for `key`. Synchronous, never touches the network; throws only
     * PromptNotFoundError, when the prompt or the label is not in the manifest.
     */
    get(name: string, options?: GetOptions): Prompt;
    /**
     * Refreshes now (the conditional request `get` starts after the TTL), or joins the one in
     * flight. Never rejects: a failure keeps the last good manifest and goes to `onError`.
     */
    refresh(): Promise<void>;
    /** Reports a later quality signal (e.g. a user's rating) for a call `record` returned. */
    feedback(call: CallReference, metrics: Record<string, number>): FeedbackEvent;
    /** @internal Called by Prompt.record. */
    recordCall(attributes: Attributes, event: CallEvent): void;
    private reload;
    private emit;
    /** Runs telemetry work; what it throws goes to onError, never to the application's call path. */
    private guard;
    /** @internal */
    report(error: Error): void;
}
/**
 * Loads the manifest and its artifacts from `source`, else from `fallback`; rejects only
 * when neither can be read, naming both.
 */
export declare function openRegistry(options: RegistryOptions): Promise<Registry>;
export {};
