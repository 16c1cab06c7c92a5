// A prompt as `registry.get` serves it: one version, the label and arm it was served for,
// render, telemetry attributes and `record`.
import { randomUUID } from 'node:crypto';
import type { Arm } from './bucketing.js';
import type { RenderedMessage, PromptVersion } from './version.js';
import { callEvent, promptAttributes, type Attributes, type CallEvent, type CallOutcome, type ServedPrompt } from './telemetry.js';

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

export class Prompt {
  readonly name: string;
  readonly version: string;
  /** The SPEC 1.2 content hash of this version (`sha256:...`). */
  readonly hash: string;
  readonly model: { provider: string; name: string; params: Record<string, unknown> };
  readonly label: string;
  readonly segment: string | undefined;
  /** `canary` or `control` while a canary runs for this label, else null. */
  readonly arm: Arm | null;
  /** Permalink to the prompt file at the commit it was released from, when known. */
  readonly sourceUrl: string | undefined;
  /** True when served from the fallback bundle, or from a copy whose refreshes failed for more than 10 TTLs. */
  readonly fallback: boolean;
  private attributeCache: Attributes | undefined;

  constructor(
    private readonly served: PromptVersion,
    private readonly context: ServeContext,
    private readonly sink: CallSink,
  ) {
    const { artifact } = served;
    this.name = artifact.name;
    this.version = artifact.version;
    this.hash = artifact.hash;
    this.model = artifact.model;
    this.label = context.label;
    this.segment = context.segment;
    this.arm = context.arm;
    this.sourceUrl = artifact.source.url;
    this.fallback = context.fallback;
  }

  /** The version's messages rendered with `vars`; strict: a variable the templates read and `vars` lacks throws. */
  render(vars: Record<string, unknown> = {}): RenderedMessage[] {
    return this.served.render(vars);
  }

  /** OpenTelemetry attributes for the call's span (SPEC 12.2), without `promptgate.call_id` (set by `record`). */
  get attributes(): Attributes {
    this.attributeCache ??= promptAttributes(this.description());
    return { ...this.attributeCache };
  }

  /** Reports the call made with this prompt: emits a `call` event and annotates the active span. Returns the event, whose `call_id` `feedback` takes. */
  record(outcome: CallOutcome = {}): CallEvent {
    const event = callEvent(this.description(), randomUUID(), outcome);
    this.sink.recordCall(this.attributes, event);
    return event;
  }

  private description(): ServedPrompt {
    return {
      name: this.name,
      version: this.version,
      hash: this.hash,
      model: this.model,
      label: this.label,
      arm: this.arm,
      segment: this.segment,
      sourceUrl: this.sourceUrl,
      fallback: this.fallback,
      manifestCommit: this.context.manifestCommit,
    };
  }
}
