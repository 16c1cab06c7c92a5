// Every file format and every value that crosses a module boundary, in one place.
// Paths are repo-relative with forward slashes unless a name says otherwise.

// ---------- locations and findings ----------

export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** Dotted key path inside the file, e.g. `metrics.2.type`. */
  key?: string;
}

export type RuleId =
  | 'invalid-file'
  | 'duplicate-name'
  | 'model-unpinned'
  | 'model-unverified'
  | 'version-not-bumped'
  | 'version-invalid'
  | 'template-undefined-variable'
  | 'release-archive-modified'
  | 'version-already-released'
  | 'release-version-missing'
  | 'release-unevaluated';

export type Severity = 'error' | 'warning';

/** A lint finding (SPEC 5). Loaders report what they cannot read as `invalid-file`. */
export interface Finding extends Location {
  rule: RuleId;
  severity: Severity;
  message: string;
}

// ---------- promptgate.yaml ----------

export type ProviderType = 'openai' | 'anthropic';

export interface ProviderConfig {
  type: ProviderType;
  base_url?: string;
  api_key_env?: string;
  concurrency?: number;
  timeout_ms?: number;
  max_retries?: number;
}

export interface GateRule {
  max_drop?: number;
  /** `auto` (the default): 0.05 for a nondeterministic prompt, none for a deterministic one; null: none. */
  alpha?: number | null | 'auto';
  min?: number;
  max_error_rate?: number;
}

export interface Price {
  input: number;
  output: number;
}

export interface Config {
  /** Repo-relative path of the config file, or undefined when the defaults are used. */
  file?: string;
  prompts: string[];
  baselines: string;
  cache: string;
  /** The release manifest (SPEC 10.1); the archive lives in `registry/` beside it. */
  releases: string;
  concurrency: number;
  /** Always contains `openai` and `anthropic`. */
  providers: Record<string, ProviderConfig>;
  pinning: { allow: string[] };
  /** USD per 1M tokens, merged over the built-in table by the caller. */
  pricing: Record<string, Price>;
  budget: { max_calls?: number; max_cost_usd?: number };
  gate: GateRule;
}

// ---------- prompts ----------

export type Role = 'system' | 'user' | 'assistant';

export interface MessageTemplate {
  role: Role;
  /** Nunjucks source. */
  content: string;
  /** 1-based line of `content` in the prompt file, for findings. */
  line?: number;
}

export interface ModelRef {
  provider: string;
  name: string;
  /** Every other key of `model:` (temperature, max_tokens, ...), passed to the API. */
  params: Record<string, unknown>;
  /** Line of `name` in the file that declares it. */
  line?: number;
  file?: string;
}

export interface Prompt {
  file: string;
  name: string;
  version: string;
  description?: string;
  model: ModelRef;
  messages: MessageTemplate[];
  /** Line of each top-level key, for findings (`name`, `version`, `model`, ...). */
  lines: Record<string, number>;
  /** Repo-relative path of the suite file, or undefined when the suite is inline. */
  suiteFile?: string;
  suite: Suite;
  /** Built once by the loader from the files at the prompt's commit. */
  artifact: PromptArtifact;
}

/**
 * One prompt version (SPEC 1.2 content, 10.2 archive). The first group of fields is what the
 * release archive stores; the rest is what the engine derives from the same files.
 */
export interface PromptArtifact {
  name: string;
  version: string;
  /** Content hash: messages, included texts, model (SPEC 1.2); a baseline's `prompt_hash`. */
  hash: string;
  model: { provider: string; name: string; params: Record<string, unknown> };
  /** Role and nunjucks source, as in the prompt file. */
  messages: ChatMessage[];
  /** Path -> text of every file the messages include, transitively. */
  templates: Record<string, string>;
  /** Names the templates read from a case, in order of first use. */
  variables: string[];

  /** The prompt file. */
  file: string;
  /** Identity of the prompt's own suite, read at the same commit (a baseline's `suite_hash`). */
  suiteHash: string;
  /** Every file the prompt depends on (SPEC 2 step 2), sorted. */
  dependencies: string[];
  /** Each variable with the first place it is used, for findings. */
  variableUses: Array<{ name: string; file: string; line: number }>;
  /** Syntax errors, missing includes and include cycles in the templates. */
  problems: Array<{ message: string; file: string; line?: number }>;
}

// ---------- eval suites ----------

export type { MetricType } from './scorers/registry.js';
import type { MetricType } from './scorers/registry.js';

export interface Metric {
  name: string;
  type: MetricType;
  /** Nunjucks source for text metrics; a number (as text or number) for max-length. */
  value?: string | number;
  /** Repo-relative path of the JSON schema (json-schema). */
  schema?: string;
  /** Repo-relative path of the scorer module (script). */
  path?: string;
  /** Script limits: per call (and for loading), and the worker's heap. */
  timeout_ms?: number;
  memory_mb?: number;
  /** Judge model (llm-judge). */
  model?: ModelRef;
  rubric?: string;
  line?: number;
}

export interface Case {
  id: string;
  vars: Record<string, unknown>;
  expected?: unknown;
  tags?: string[];
  /** Where the case is written: dataset file (or suite file for inline cases) and line. */
  file: string;
  line?: number;
}

/** A suite's cases in order: an array, or a JSON Lines dataset's lines (files/dataset.ts). */
export type CaseList = IndexedList<Case>;

export interface Suite {
  /** File the suite is written in (the suite file, or the prompt file when inline). */
  file: string;
  dataset?: string;
  repeat: number;
  cases: CaseList;
  metrics: Metric[];
  gate: Record<string, GateRule>;
}

// ---------- loaded project ----------

export interface Project {
  config: Config;
  prompts: Prompt[];
  /** Problems met while loading (invalid-file, duplicate-name). Loading never throws on user input. */
  findings: Finding[];
  /** Prompt files that could not be loaded at all, so a graph can still report them. */
  brokenFiles: string[];
  /**
   * Prompts whose own file loaded but whose suite did not (its findings say why): linted,
   * so one broken file does not hide another's problems, but never evaluated. Empty suite.
   */
  lintOnly: Prompt[];
}

// ---------- model calls ----------

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface ChatRequest {
  /** Key of `config.providers`. */
  provider: string;
  model: string;
  params: Record<string, unknown>;
  messages: ChatMessage[];
  /** Repeat index: each repeat has its own cache slot. */
  sample: number;
}

export interface ChatResponse {
  text: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  costUsd: number;
  cached: boolean;
}

export interface Usage {
  /** Responses received over the network (not cache hits, not retried attempts). */
  calls: number;
  retries: number;
  cached: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

// ---------- evaluation ----------

/** A provider without an API key, and the environment variable that would hold it. */
export interface MissingKey {
  provider: string;
  env: string;
}

export interface Sample {
  caseId: string;
  sample: number;
  output: string;
  error?: string;
  /** The sample (or one of its judges) needed a provider that has no API key. */
  missingKey?: MissingKey;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cached: boolean;
  /** Metric name -> score in [0, 1]. Errored samples score 0 on every metric. */
  scores: Record<string, number>;
  /** Metric name -> reason given by a judge or a script, when any. */
  reasons?: Record<string, string>;
}

export interface EvalResult {
  prompt: string;
  version: string;
  promptHash: string;
  model: string;
  /** Laid out by case: sample i is repeat `i % repeat` of `cases.at(Math.floor(i / repeat))`. */
  samples: IndexedList<Sample>;
  cases: CaseIndex;
  repeat: number;
}

/** An evaluation's cases in order, found by position, or by id through an index made on the first lookup. */
export interface CaseIndex {
  readonly length: number;
  at(position: number): Case;
  position(id: string): number | undefined;
}

/** Per-metric, per-case means: the unit a comparison pairs on. A baseline file stores them too (BaselineFile). */
export interface ScoreTable {
  /** Metric name -> { mean, n } over all samples. */
  metrics: Record<string, { mean: number; n: number }>;
  cases: CaseScores;
}

/** Each case's means over its repeats, by metric (a metric the case has no score for is absent). */
export interface CaseScores extends Iterable<[id: string, means: Record<string, number>]> {
  get(id: string): Record<string, number> | undefined;
}

// ---------- baselines (SPEC 1.4) ----------

export interface BaselineFile extends Pick<ScoreTable, 'metrics'> {
  schema: 'promptgate/baseline@1';
  name: string;
  version: string;
  prompt_hash: string;
  suite_hash: string;
  model: string;
  created_at: string;
  tool_version: string;
  repeat: number;
  /** Case id -> metric name -> mean over repeats. */
  cases: Record<string, Record<string, number>>;
  /** Case id -> first sample's output, so a report can show what production said. */
  outputs?: Record<string, string>;
}

// ---------- release manifest (SPEC 10.1) ----------

/** Label -> version, e.g. `{ production: "2.1.0", staging: "2.2.0" }`. */
export type LabelMap = Record<string, string>;

export interface CanaryMetricGuard {
  direction: 'higher' | 'lower';
  max_drop: number;
}

/** A staged rollout of `version` against `labels.production`, as written in the manifest. */
export interface CanarySpec {
  version: string;
  /** Percent of traffic per step, ascending; the last is 100. */
  steps: number[];
  /** Index of the current step in `steps`. */
  step: number;
  /** ISO 8601 time the current step began. */
  started_at: string;
  salt?: string;
  min_samples?: number;
  /** `24h`, `30m`, `2d`, `90s` (see parseDuration). */
  min_duration?: string;
  metrics?: Record<string, CanaryMetricGuard>;
  alpha?: number;
}

export interface PromptReleases {
  labels: LabelMap;
  /** Segment -> labels that override `labels` for that segment. */
  segments?: Record<string, LabelMap>;
  canary?: CanarySpec;
}

/** Prompt name -> its labels, segments and canary, in the manifest's key order. */
export type ReleaseManifest = Record<string, PromptReleases>;

// ---------- release archive (SPEC 10.2) ----------

/** One released version, self-contained: `.promptgate/registry/<name>/<version>.json`. */
export interface ArchiveFile {
  schema: 'promptgate/artifact@1';
  name: string;
  version: string;
  /** The SPEC 1.2 content hash: a baseline's `prompt_hash`. */
  hash: string;
  /** As in the prompt file: provider, name, and every other key a parameter. */
  model: { provider: string; name: string } & Record<string, unknown>;
  messages: ChatMessage[];
  /** Path -> text of every file the messages include, transitively. */
  templates: Record<string, string>;
  /** Names the templates read. */
  variables: string[];
  source: { path: string; commit: string; url?: string };
  eval: { suite_hash: string; metrics: Record<string, { mean: number; n: number }> };
  released_at: string;
  tool_version: string;
}

// ---------- comparison and report (SPEC 6) ----------

export interface MetricDiff {
  name: string;
  baseline: number | null;
  candidate: number;
  delta: number | null;
  ci95: [number, number] | null;
  p_value: number | null;
  n: number;
  regressed: boolean;
  below_min: boolean;
  /** A drop inside the noise band (not significant) that still regressed under a gate without alpha. */
  likely_noise?: boolean;
  gate: GateRule;
  /** The significance level this metric was gated at (SPEC 4); null: any drop beyond max_drop fails. */
  alpha: number | null;
  alpha_source: AlphaSource;
}

/** Why a metric's alpha is what it is: set in the gate, or `auto` for a (non)deterministic prompt. */
export type AlphaSource = 'config' | 'auto-nondeterministic' | 'auto-deterministic';

/** What is wrong with a prompt, as a value each outlet words for itself. */
export type PromptProblem =
  { kind: 'error'; message: string } | { kind: 'regressed'; metrics: string[] } | { kind: 'below-min'; metrics: string[] };

/** The engine's verdict on one prompt (gate/verdict.ts): outlets read it, never recompute it. */
export interface PromptVerdict {
  /** This prompt fails the run. */
  blocks: boolean;
  problems: PromptProblem[];
  /** Why gate misses do not block: the accept label is on the PR, or fail-on-regression is off. */
  waived: 'accepted' | 'gate-off' | null;
}

/** `unchanged`: evaluated because it was asked for (eval --all, --prompt), not because the change touched it. */
export type PromptChange = 'added' | 'modified' | 'removed' | 'dependency' | 'unchanged' | 'promotion' | 'rollback';
export type PromptStatus = 'pass' | 'regressed' | 'below-min' | 'error' | 'new' | 'removed';
export type BaselineSource = 'stored' | 'rerun' | 'none';

/** What outlets need of a list: its length, and its items in order. */
export interface ReadonlyList<T> extends Iterable<T> {
  readonly length: number;
}

/** A list read by position too. */
export interface IndexedList<T> extends ReadonlyList<T> {
  at(index: number): T | undefined;
}

export interface CaseDetail {
  id: string;
  vars: Record<string, unknown>;
  expected?: unknown;
  baseline_output?: string;
  candidate_output?: string;
  /** Metric name -> [baseline, candidate] case means. */
  scores: Record<string, [number | null, number]>;
  /** Metric name -> why a judge or a script scored the candidate's first sample as it did. */
  reasons?: Record<string, string>;
  error?: string;
  /** The base version's error on this case, when it was rerun. */
  baseline_error?: string;
}

export interface PromptReport {
  name: string;
  file: string;
  change: PromptChange;
  status: PromptStatus;
  version: { base: string | null; head: string | null };
  model: string | null;
  baseline: { source: BaselineSource };
  metrics: MetricDiff[];
  /**
   * `errored`: this change's samples that errored; `base_errored`: the base version's (when
   * rerun); `excluded`: cases left out of the comparison because either side errored.
   */
  cases: { regressed: string[]; improved: string[]; errored: string[]; base_errored?: string[]; excluded?: string[] };
  /**
   * Every evaluated case: regressed first (most severe first), then improved, errored, and the
   * unchanged rest. The markdown shows the first three kinds, the HTML report all of them.
   * Made one at a time as they are read (a LazyList), or read back from a report file.
   */
  details: ReadonlyList<CaseDetail>;
  usage: Usage;
  latency_ms: { p50: number; p95: number };
  samples_per_case: number;
  /** Samples evaluated for the candidate, and the share of them that errored (SPEC 1.3). */
  samples: number;
  error_rate: number;
  /** The base version's samples and error rate, when it was rerun in this run. */
  base_samples?: number;
  base_error_rate?: number;
  error?: string;
  /** A promotion or rollback: the manifest pointer that moved (`production`, or `canary` for a canary's version). */
  pointer?: { label: string; segment?: string };
  /** Providers this prompt needed whose API key is missing (the outlets say how to set it). */
  missing_keys?: MissingKey[];
  /** The prompt samples (SPEC 4): decides `alpha: auto`; at `repeat: 1` its power to see a real drop is low. */
  nondeterministic: boolean;
  verdict: PromptVerdict;
}

export type Mode = 'pr' | 'baseline' | 'drift' | 'lint' | 'release';
export type RunResult = 'pass' | 'fail';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Which side of a comparison a set of samples belongs to. */
export type Side = 'candidate' | 'baseline';

/** What one shard evaluated for one prompt side: its samples, or why it could not. */
export type ShardSamples = { samples: Sample[] } | { error: string };

/** The part of a partial report that a merge needs besides the report itself. */
export interface ShardData extends Shard {
  /** Prompt name -> side -> that shard's samples. */
  samples: Record<string, Partial<Record<Side, ShardSamples>>>;
}

export interface Report {
  schema: 'promptgate/report@1';
  result: RunResult;
  mode: Mode;
  accepted: boolean;
  base: { ref: string | null; sha: string | null };
  head: { ref: string | null; sha: string | null };
  lint: Finding[];
  usage: Usage;
  duration_ms: number;
  prompts: PromptReport[];
  /** Models used, for the footer. */
  models: string[];
  /** Why the run failed, when it failed for a reason other than a prompt's status or lint. */
  errors: string[];
  /** Mode baseline: files written, relative to the workspace. */
  baselines_written?: string[];
  /** A partial report (input shard): which shard, and the samples a merge needs. */
  shard?: ShardData;
  /** Mode release: archive files written, relative to the workspace. */
  released?: string[];
  /** Mode release with a publish directory: the bundle written (SPEC 10.4). */
  published?: {
    /** Absolute path of the bundle's manifest.json. */
    manifest: string;
    /** `artifacts/<sha256>.json` files, relative to the bundle directory. */
    artifacts: string[];
  };
  /**
   * Set when the run stopped before linting the prompts or calling a model:
   * `invalid-config` when the config file has errors (they are in `lint`).
   */
  stopped?: 'invalid-config';
}
