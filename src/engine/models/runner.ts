import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { UserError } from '../errors.js';
import type { ChatRequest, ChatResponse, Config, MissingKey, ProviderConfig, Usage } from '../types.js';
import { ResponseCache } from './cache.js';
import {
  AttemptError,
  DEFAULT_TIMEOUT_MS,
  apiKeyEnvOf,
  baseUrlOf,
  createClient,
  effectiveParams,
  type Completion,
  type ProviderClient,
} from './clients.js';
import { costOf } from './pricing.js';
import { MAX_RETRY_AFTER_MS, isRetryable, isRetryableStatus, retryDelayMs, type AttemptFailure } from './retry.js';

export interface RunnerOptions {
  config: Config;
  /** Where API keys and *_BASE_URL come from (never process.env directly). */
  env: Record<string, string | undefined>;
  /** Absolute; undefined disables the cache (--no-cache). */
  cacheDir?: string;
  /** Overrides config.concurrency. */
  concurrency?: number;
  /** Overrides config.budget. */
  budget?: { max_calls?: number; max_cost_usd?: number };
}

const DEFAULT_MAX_RETRIES = 4;

/** Requests an estimate looks up in the cache at once. */
const ESTIMATE_CHUNK = 256;

/** Output tokens assumed for an estimate when a prompt sets no max_tokens. */
const ESTIMATED_OUTPUT_TOKENS = 512;

/** What a run will spend before it starts: network calls (cache hits excluded) and an upper bound on cost. */
export interface Estimate {
  calls: number;
  cached: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Calls whose output was bounded by the longest cached answer of their model rather than by max_tokens. */
  observed: number;
}

/** A model call that failed for good: retries exhausted, or an error retrying cannot fix. */
export class ModelCallError extends Error {
  readonly status?: number;
  readonly attempts: number;

  constructor(message: string, attempts: number, status?: number) {
    super(message);
    this.name = 'ModelCallError';
    this.attempts = attempts;
    if (status !== undefined) this.status = status;
  }
}

/**
 * A provider has no API key (a fork's pull request gets no secrets): its network calls are
 * refused, while cache hits still answer. The outlet words how to set the key.
 */
export class MissingKeyError extends Error {
  constructor(readonly key: MissingKey) {
    super(`no API key for provider '${key.provider}': ${key.env} is not set`);
    this.name = 'MissingKeyError';
  }
}

/** The run's `budget` would be exceeded by this call. */
export class BudgetExceededError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

/** A provider's client and limit, built once on first use. */
interface ProviderRuntime {
  name: string;
  config: ProviderConfig;
  /** Undefined when the key is missing. */
  client?: ProviderClient;
  baseUrl: string;
  /** The provider's own limit, when it sets `concurrency`. */
  limit?: LimitFunction;
}

/**
 * Makes every model call of a run: one global concurrency limit plus each provider's own,
 * the response cache, retries with backoff, usage counting and the budget.
 */
export function zeroUsage(): Usage {
  return { calls: 0, retries: 0, cached: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
}

export class ModelRunner {
  readonly usage: Usage = zeroUsage();
  readonly #opts: RunnerOptions;
  readonly #global: LimitFunction;
  readonly #budget: { max_calls?: number; max_cost_usd?: number };
  readonly #cache?: ResponseCache;
  readonly #providers = new Map<string, ProviderRuntime>();
  #inFlight = 0;
  #peakInFlight = 0;
  #reservedCost = 0;
  /** Set when the estimate already exceeds the budget: every network call is refused, cache hits still answer. */
  #refusal?: BudgetExceededError;

  constructor(opts: RunnerOptions) {
    this.#opts = opts;
    this.#global = pLimit(opts.concurrency ?? opts.config.concurrency);
    this.#budget = opts.budget ?? opts.config.budget;
    if (opts.cacheDir !== undefined) this.#cache = new ResponseCache(opts.cacheDir);
  }

  /** Whether the run has a budget at all (without one, nothing needs estimating). */
  get hasBudget(): boolean {
    return this.#budget.max_calls !== undefined || this.#budget.max_cost_usd !== undefined;
  }

  /** The global limit on requests in flight. */
  get concurrency(): number {
    return this.#global.concurrency;
  }

  /** Largest number of requests that were in flight at once. */
  get peakInFlight(): number {
    return this.#peakInFlight;
  }

  /** Removes what killed runs left in the cache: temporary files older than `before` (this run's start). */
  async removeStaleCacheTemps(before: number): Promise<void> {
    await this.#cache?.removeStaleTemps(before);
  }

  /** Makes the clients of these providers ahead of the first call, so their SDKs load meanwhile; unknown names are assertReady's to report. */
  warmUp(providers: Iterable<string>): void {
    for (const name of providers) if (Object.hasOwn(this.#opts.config.providers, name)) this.#provider(name);
  }

  /** Throws a UserError for a provider that promptgate.yaml does not declare, before any call. */
  assertReady(providers: Iterable<string>): void {
    for (const name of providers) this.#provider(name);
  }

  /** The providers among `providers` that have no API key, so their calls would be refused. */
  missingKeys(providers: Iterable<string>): MissingKey[] {
    return [...providers]
      .map((name) => this.#provider(name))
      .filter((provider) => !provider.client)
      .map((provider) => ({ provider: provider.name, env: apiKeyEnvOf(provider.config) }));
  }

  /**
   * Before any call: how many requests the cache answers, and for the rest the calls, the
   * input tokens (about 4 characters each) and output tokens (max_tokens) and their cost.
   * Throws BudgetExceededError when the calls alone exceed `max_calls`; from then on every
   * network call is refused, so nothing is spent, while cache hits still answer.
   */
  async estimate(requests: Iterable<ChatRequest>): Promise<Estimate> {
    const estimate: Estimate = { calls: 0, cached: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, observed: 0 };
    // The longest answer the cache holds per model: real answers are usually far below max_tokens.
    const longest = new Map<string, number>();
    // Uncached calls summed per model and output bound (cost is linear in tokens), not kept one by one.
    const uncached = new Map<string, { model: string; output: number; calls: number; input: number }>();
    const look = async (req: ChatRequest): Promise<void> => {
      const { provider, params, key } = this.#prepare(req);
      const hit = this.#cache && key ? await this.#cache.get(key) : undefined;
      if (hit) {
        estimate.cached += 1;
        longest.set(req.model, Math.max(longest.get(req.model) ?? 0, hit.outputTokens));
        return;
      }
      if (!provider.client) return; // without a key the call is refused, never made
      const bound = this.#upperBound(req, params);
      const group = `${req.model}\n${bound.output}`;
      const sum = uncached.get(group) ?? { model: req.model, output: bound.output, calls: 0, input: 0 };
      sum.calls += 1;
      sum.input += bound.input;
      uncached.set(group, sum);
    };
    // A chunk at a time: a million planned requests are never rendered and held at once.
    let chunk: Promise<void>[] = [];
    for (const req of requests) {
      chunk.push(look(req));
      if (chunk.length === ESTIMATE_CHUNK) {
        await Promise.all(chunk);
        chunk = [];
      }
    }
    await Promise.all(chunk);
    for (const { model, output: bound, calls, input } of uncached.values()) {
      const seen = longest.get(model);
      const output = seen !== undefined && seen < bound ? seen : bound;
      if (output !== bound) estimate.observed += calls;
      estimate.calls += calls;
      estimate.inputTokens += input;
      estimate.outputTokens += output * calls;
      estimate.costUsd += costOf(model, input, output * calls, this.#opts.config.pricing);
    }
    const { max_calls } = this.#budget;
    if (max_calls !== undefined && estimate.calls > max_calls) {
      throw (this.#refusal = new BudgetExceededError(
        `budget exceeded before any call: this run needs ${estimate.calls} model calls (${estimate.cached} more are cached) but max_calls is ${max_calls}; ` +
          'raise `budget.max_calls` in promptgate.yaml, or evaluate fewer prompts',
      ));
    }
    return estimate;
  }

  async complete(req: ChatRequest): Promise<ChatResponse> {
    const { provider, params, key } = this.#prepare(req);

    if (this.#cache && key) {
      const started = performance.now();
      const hit = await this.#cache.get(key);
      if (hit) {
        this.usage.cached += 1;
        return { ...hit, latencyMs: performance.now() - started, costUsd: 0, cached: true };
      }
    }

    const client = provider.client;
    if (!client) throw new MissingKeyError({ provider: provider.name, env: apiKeyEnvOf(provider.config) });
    // Provider limit outside the global one, so a slow provider's queue never holds global slots.
    const reserve = this.#upperBound(req, params).cost;
    const network = () => this.#global(() => this.#callWithRetries(provider, client, req.model, params, req.messages, reserve));
    const { completion, latencyMs } = await (provider.limit ? provider.limit(network) : network());

    const costUsd = costOf(req.model, completion.inputTokens, completion.outputTokens, this.#opts.config.pricing);
    this.usage.input_tokens += completion.inputTokens;
    this.usage.output_tokens += completion.outputTokens;
    this.usage.cost_usd += costUsd;

    if (this.#cache && key) {
      try {
        await this.#cache.set(key, completion);
      } catch (err) {
        throw new UserError(
          `cannot write the response cache in ${this.#opts.cacheDir}: ${(err as Error).message}; ` +
            'fix `cache:` in promptgate.yaml or run without the cache',
        );
      }
    }
    return { ...completion, latencyMs, costUsd, cached: false };
  }

  async #callWithRetries(
    provider: ProviderRuntime,
    client: ProviderClient,
    model: string,
    params: Record<string, unknown>,
    messages: ChatRequest['messages'],
    reserve: number,
  ): Promise<{ completion: Completion; latencyMs: number }> {
    this.#checkBudget(reserve);
    this.#inFlight += 1;
    this.#reservedCost += reserve;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    try {
      const maxAttempts = 1 + (provider.config.max_retries ?? DEFAULT_MAX_RETRIES);
      let malformed = 0;
      for (let attempt = 1; ; attempt += 1) {
        const started = performance.now();
        try {
          const completion = await client.complete(model, params, messages);
          // Counted here, while still in flight, so the budget never sees a gap.
          this.usage.calls += 1;
          return { completion, latencyMs: performance.now() - started };
        } catch (err) {
          if (!(err instanceof AttemptError)) throw err;
          const failure = err.failure;
          if (failure.kind === 'malformed') malformed += 1;
          if (attempt >= maxAttempts || !isRetryable(failure, malformed)) {
            throw new ModelCallError(
              failureMessage(provider, model, failure, attempt),
              attempt,
              failure.kind === 'http' ? failure.status : undefined,
            );
          }
          this.usage.retries += 1;
          await sleep(retryDelayMs(failure, attempt - 1));
        }
      }
    } finally {
      this.#inFlight -= 1;
      this.#reservedCost -= reserve;
    }
  }

  /** Tokens (input about 4 characters each, output its max_tokens) and the cost they would have at most. */
  #upperBound(req: ChatRequest, params: Record<string, unknown>): { input: number; output: number; cost: number } {
    const input = Math.ceil(req.messages.reduce((n, m) => n + m.content.length, 0) / 4);
    const maxTokens = params['max_tokens'] ?? params['max_completion_tokens'];
    const output = typeof maxTokens === 'number' ? maxTokens : ESTIMATED_OUTPUT_TOKENS;
    return { input, output, cost: costOf(req.model, input, output, this.#opts.config.pricing) };
  }

  #prepare(req: ChatRequest): { provider: ProviderRuntime; params: Record<string, unknown>; key?: string } {
    const provider = this.#provider(req.provider);
    const params = effectiveParams(provider.config.type, req.params);
    if (!this.#cache) return { provider, params };
    const key = ResponseCache.key({
      type: provider.config.type,
      baseUrl: provider.baseUrl,
      model: req.model,
      params,
      messages: req.messages,
      sample: req.sample,
    });
    return { provider, params, key };
  }

  /** Called inside the limits, right before the network: in-flight requests count as calls. */
  #checkBudget(reserve: number): void {
    if (this.#refusal) throw this.#refusal;
    const { max_calls, max_cost_usd } = this.#budget;
    if (max_calls !== undefined && this.usage.calls + this.#inFlight + 1 > max_calls) {
      throw new BudgetExceededError(
        `budget exceeded: max_calls is ${max_calls} and ${this.usage.calls} calls were made (${this.#inFlight} more in flight); ` +
          'raise `budget.max_calls` in promptgate.yaml',
      );
    }
    // Calls in flight hold what they may cost at most, so concurrent calls cannot jointly overspend.
    if (max_cost_usd !== undefined && this.usage.cost_usd + this.#reservedCost + reserve > max_cost_usd) {
      throw new BudgetExceededError(
        `budget exceeded: max_cost_usd is $${max_cost_usd} and $${this.usage.cost_usd.toFixed(4)} was spent; the next call could cost up to $${(this.#reservedCost + reserve).toFixed(4)} with the calls in flight; ` +
          'raise `budget.max_cost_usd` in promptgate.yaml or max-cost-usd (the input or the flag)',
      );
    }
  }

  #provider(name: string): ProviderRuntime {
    const known = this.#providers.get(name);
    if (known) return known;
    const providers = this.#opts.config.providers;
    const config = Object.hasOwn(providers, name) ? providers[name] : undefined;
    if (!config) {
      throw new UserError(
        `unknown provider '${name}': declare it under \`providers:\` in promptgate.yaml (known: ${Object.keys(providers).join(', ')})`,
      );
    }
    const apiKey = this.#opts.env[apiKeyEnvOf(config)];
    const baseUrl = baseUrlOf(config, this.#opts.env);
    const runtime: ProviderRuntime = {
      name,
      config,
      baseUrl,
      ...(apiKey ? { client: createClient(config, apiKey, baseUrl, this.#opts.env) } : {}),
    };
    if (config.concurrency !== undefined) runtime.limit = pLimit(config.concurrency);
    this.#providers.set(name, runtime);
    return runtime;
  }
}

/** One line that says what failed and what to check. */
function failureMessage(provider: ProviderRuntime, model: string, failure: AttemptFailure, attempts: number): string {
  const who = `${provider.name} ${model}`;
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  switch (failure.kind) {
    case 'timeout':
      return `${who}: no response within ${provider.config.timeout_ms ?? DEFAULT_TIMEOUT_MS} ms after ${tries}; raise timeout_ms for provider '${provider.name}' in promptgate.yaml if the model is slow`;
    case 'connection':
      return `${who}: connection to ${provider.baseUrl} failed after ${tries}: ${failure.message}`;
    case 'malformed':
      return `${who}: malformed response after ${tries}: ${failure.message}; check that ${provider.baseUrl} speaks the ${provider.config.type} API`;
    case 'http':
      return `${who}: ${httpMessage(provider, failure, tries)}`;
  }
}

function httpMessage(provider: ProviderRuntime, failure: Extract<AttemptFailure, { kind: 'http' }>, tries: string): string {
  const { status, message } = failure;
  const detail = message ? ` (${message})` : '';
  if (status === 401) return `401 unauthorized${detail}; check the key in ${apiKeyEnvOf(provider.config)}`;
  if (status === 403) return `403 forbidden${detail}; check that the key in ${apiKeyEnvOf(provider.config)} may use this model`;
  if (status === 404) return `404 not found${detail}; check the model name and the provider's base_url (${provider.baseUrl})`;
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs > MAX_RETRY_AFTER_MS) {
    return `${status}: the server asked to retry after ${Math.round(failure.retryAfterMs / 1000)} s, longer than promptgate waits (${MAX_RETRY_AFTER_MS / 1000} s)${detail}`;
  }
  if (isRetryableStatus(status)) return `${status} after ${tries}${detail}`;
  return `${status}${detail}; check the model's parameters in the prompt file`;
}
