// openRegistry (SPEC 12.1): one load at open, then a synchronous `get` that reads memory
// only. After the TTL, the first `get` starts one background conditional refresh; the
// loaded manifest keeps serving until a refresh succeeds, and a refresh that fails is
// reported to `onError` and retried later with backoff, never thrown at a caller.
import { createHash } from 'node:crypto';
import { parseArtifact, parseManifest, referencedArtifacts, type PublishedManifest } from './bundle.js';
import { Rollout, type Arm } from './bucketing.js';
import { BundleError, PromptNotFoundError, RegistryOpenError } from './errors.js';
import { Prompt } from './prompt.js';
import { MANIFEST_FILE, artifactFile, openSource, type BundleSource, type FetchFunction } from './sources.js';
import {
  annotateActiveSpan,
  feedbackEvent,
  feedbackSpan,
  loadOpenTelemetry,
  type Attributes,
  type CallEvent,
  type CallReference,
  type FeedbackEvent,
  type PromptEvent,
  type Tracing,
} from './telemetry.js';
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

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** `fallback` turns true once the last good manifest is this many TTLs old. */
const STALE_TTLS = 10;

/** A manifest with every artifact it points at, verified and compiled. */
interface LoadedBundle {
  manifest: PublishedManifest;
  etag: string | undefined;
  /** sha256 -> version: exactly those the manifest points at, so older versions are dropped. */
  versions: Map<string, PromptVersion>;
  rollouts: Map<string, Rollout>;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads the manifest and every artifact it names that `cache` lacks; verifies each
 * artifact's bytes against its sha256 and that it is the version the manifest says.
 */
async function loadBundle(
  source: BundleSource,
  etag: string | undefined,
  cache: Map<string, PromptVersion>,
): Promise<LoadedBundle | 'not-modified'> {
  const read = await source.readManifest(etag);
  if (read.notModified) return 'not-modified';
  const manifestWhere = source.where(MANIFEST_FILE);
  const manifest = parseManifest(read.text, manifestWhere);
  const refs = referencedArtifacts(manifest);
  const versions = new Map<string, PromptVersion>();
  await Promise.all(
    [...new Set(refs.map((r) => r.sha256))].map(async (sha256) => {
      const cached = cache.get(sha256);
      if (cached) return void versions.set(sha256, cached);
      const bytes = await source.readArtifact(sha256);
      const where = source.where(artifactFile(sha256));
      const actual = sha256Hex(bytes);
      if (actual !== sha256) {
        throw new BundleError(`${where}: its bytes hash to ${actual}, not to the sha256 in its name; refusing to serve it`, where);
      }
      versions.set(sha256, new PromptVersion(parseArtifact(new TextDecoder().decode(bytes), where), sha256, where));
    }),
  );
  for (const ref of refs) {
    const { name, version } = (versions.get(ref.sha256) as PromptVersion).artifact;
    if (name !== ref.name || version !== ref.version) {
      throw new BundleError(
        `${manifestWhere}: ${ref.name} ${ref.version} points at ${artifactFile(ref.sha256)}, which is ${name}@${version}; publish the bundle again`,
        manifestWhere,
      );
    }
  }
  const rollouts = new Map<string, Rollout>();
  for (const [name, entry] of manifest.prompts) if (entry.canary) rollouts.set(name, new Rollout(entry.canary.salt, entry.canary.weight));
  return { manifest, etag: read.etag, versions, rollouts };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length ? all.join(', ') : 'none';
}

export class Registry {
  private lastSuccessAt: number;
  private nextRefreshAt: number;
  private failures: number;
  private inFlight: Promise<void> | undefined;

  /** @internal Use `openRegistry`. */
  constructor(
    private readonly source: BundleSource,
    private bundle: LoadedBundle,
    /** True while serving the fallback bundle: until a refresh from `source` succeeds. */
    private fromFallback: boolean,
    private readonly options: { ttlMs: number; onEvent?: RegistryOptions['onEvent']; onError?: RegistryOptions['onError'] },
    private readonly otel: Tracing,
  ) {
    const now = Date.now();
    this.lastSuccessAt = now;
    this.failures = fromFallback ? 1 : 0;
    this.nextRefreshAt = now + options.ttlMs;
  }

  /**
   * The version `label` points at now (for `segment` when the manifest lists it), with the
   * canary arm for `key`. Synchronous, never touches the network; throws only
   * PromptNotFoundError, when the prompt or the label is not in the manifest.
   */
  get(name: string, options: GetOptions = {}): Prompt {
    const now = Date.now();
    if (now >= this.nextRefreshAt && !this.inFlight) void this.refresh();
    const label = options.label ?? 'production';
    const { segment, key } = options;
    const { manifest, versions, rollouts } = this.bundle;
    const entry = manifest.prompts.get(name);
    if (!entry) {
      throw new PromptNotFoundError(
        `prompt "${name}" (label "${label}") is not in the bundle at ${this.source.location}; it has: ${list(manifest.prompts.keys())}`,
        name,
        label,
      );
    }
    const segmentRef = segment === undefined ? undefined : entry.segments[segment]?.[label];
    let ref = segmentRef ?? entry.labels[label];
    if (!ref) {
      throw new PromptNotFoundError(
        `prompt "${name}" has no label "${label}" in the bundle at ${this.source.location}; its labels: ${list(Object.keys(entry.labels))}`,
        name,
        label,
      );
    }
    // A canary runs against labels.production, so a segment's own production version keeps it out.
    let arm: Arm | null = null;
    const rollout = rollouts.get(name);
    if (rollout && entry.canary && label === 'production' && !segmentRef) {
      arm = rollout.arm(key);
      if (arm === 'canary') ref = entry.canary;
    }
    const context = {
      label,
      segment,
      arm,
      fallback: this.fromFallback || now - this.lastSuccessAt > STALE_TTLS * this.options.ttlMs,
      manifestCommit: manifest.commit,
    };
    return new Prompt(versions.get(ref.sha256) as PromptVersion, context, this);
  }

  /**
   * Refreshes now (the conditional request `get` starts after the TTL), or joins the one in
   * flight. Never rejects: a failure keeps the last good manifest and goes to `onError`.
   */
  refresh(): Promise<void> {
    this.inFlight ??= this.reload().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Reports a later quality signal (e.g. a user's rating) for a call `record` returned. */
  feedback(call: CallReference, metrics: Record<string, number>): FeedbackEvent {
    const event = feedbackEvent(call, metrics);
    this.emit(event);
    this.guard(() => feedbackSpan(this.otel, event));
    return event;
  }

  /** @internal Called by Prompt.record. */
  recordCall(attributes: Attributes, event: CallEvent): void {
    this.emit(event);
    this.guard(() => annotateActiveSpan(this.otel, attributes, event));
  }

  private async reload(): Promise<void> {
    try {
      const loaded = await loadBundle(this.source, this.fromFallback ? undefined : this.bundle.etag, this.bundle.versions);
      if (loaded !== 'not-modified') {
        this.bundle = loaded;
        this.fromFallback = false;
      }
      this.failures = 0;
      this.lastSuccessAt = Date.now();
      this.nextRefreshAt = this.lastSuccessAt + this.options.ttlMs;
    } catch (error) {
      this.failures += 1;
      const backoff = Math.min(this.options.ttlMs * 2 ** (this.failures - 1), Math.max(this.options.ttlMs, MAX_BACKOFF_MS));
      this.nextRefreshAt = Date.now() + backoff;
      this.report(
        new BundleError(
          `promptgate: refresh from ${this.source.location} failed, serving the last good manifest: ${describe(error)}`,
          this.source.location,
        ),
      );
    }
  }

  private emit(event: PromptEvent): void {
    const { onEvent } = this.options;
    if (!onEvent) return;
    this.guard(() => {
      const result = onEvent(event);
      if (result instanceof Promise) result.catch((error: unknown) => this.report(asError(error)));
    });
  }

  /** Runs telemetry work; what it throws goes to onError, never to the application's call path. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.report(asError(error));
    }
  }

  /** @internal */
  report(error: Error): void {
    try {
      this.options.onError?.(error);
    } catch {
      // An onError that throws has nowhere left to report to.
    }
  }
}

function validated(options: RegistryOptions): { ttlMs: number; timeoutMs: number; fetch: FetchFunction } {
  if (typeof options?.source !== 'string' || options.source === '') {
    throw new TypeError('openRegistry: `source` must be the URL or directory of a published bundle (promptgate publish --out DIR)');
  }
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const [name, value] of [
    ['ttlMs', ttlMs],
    ['timeoutMs', timeoutMs],
  ] as const) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new TypeError(`openRegistry: \`${name}\` must be a positive number of milliseconds, not ${String(value)}`);
    }
  }
  const fetch = options.fetch ?? (globalThis.fetch as FetchFunction | undefined);
  if (typeof fetch !== 'function') throw new TypeError('openRegistry: no global fetch on this platform; pass `fetch`');
  return { ttlMs, timeoutMs, fetch };
}

/**
 * Loads the manifest and its artifacts from `source`, else from `fallback`; rejects only
 * when neither can be read, naming both.
 */
export async function openRegistry(options: RegistryOptions): Promise<Registry> {
  const { ttlMs, timeoutMs, fetch } = validated(options);
  const settings = { ttlMs, ...(options.onEvent && { onEvent: options.onEvent }), ...(options.onError && { onError: options.onError }) };
  const otel = await loadOpenTelemetry();
  const source = openSource(options.source, fetch, timeoutMs);
  let sourceError: unknown;
  try {
    return new Registry(source, (await loadBundle(source, undefined, new Map())) as LoadedBundle, false, settings, otel);
  } catch (error) {
    sourceError = error;
  }
  if (options.fallback === undefined) {
    throw new RegistryOpenError(`promptgate: cannot open the prompt registry: source: ${describe(sourceError)}`, [asError(sourceError)]);
  }
  const fallback = openSource(options.fallback, fetch, timeoutMs);
  try {
    const registry = new Registry(source, (await loadBundle(fallback, undefined, new Map())) as LoadedBundle, true, settings, otel);
    registry.report(
      new BundleError(`promptgate: serving the fallback bundle ${fallback.location}: ${describe(sourceError)}`, source.location),
    );
    return registry;
  } catch (fallbackError) {
    throw new RegistryOpenError(
      `promptgate: cannot open the prompt registry: source: ${describe(sourceError)}; fallback: ${describe(fallbackError)}`,
      [asError(sourceError), asError(fallbackError)],
    );
  }
}
