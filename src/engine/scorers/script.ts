import { UserError } from '../errors.js';
import type { Metric } from '../types.js';
import type { Score, Scorer, ScorerDeps } from './index.js';
import { DEFAULT_SCRIPT_LIMITS, ScriptError, ScriptSandbox } from './script-sandbox.js';
import { describeMetric } from './value.js';

/** What a script scorer's default export receives. */
export interface ScriptContext {
  output: string;
  vars: Record<string, unknown>;
  expected: unknown;
  case: { id: string; tags: string[] };
}

/**
 * script: the module at metric.path (repo-relative) is loaded once per worker, in a sandbox
 * with the metric's timeout_ms and memory_mb; its default export scores each sample. A module
 * that does not load is a UserError located in the script.
 */
export async function createScriptScorer(metric: Metric & Required<Pick<Metric, 'path'>>, deps: ScorerDeps): Promise<Scorer> {
  const { path } = metric;
  const limits = {
    timeoutMs: metric.timeout_ms ?? DEFAULT_SCRIPT_LIMITS.timeoutMs,
    memoryMb: metric.memory_mb ?? DEFAULT_SCRIPT_LIMITS.memoryMb,
  };
  let sandbox: ScriptSandbox;
  try {
    sandbox = await ScriptSandbox.open(deps.root, path, limits);
  } catch (err) {
    if (err instanceof ScriptError) throw new UserError(`${describeMetric(metric)}: ${err.message}`, err.at ?? { file: path });
    throw err;
  }
  const score: Scorer = async ({ output, case: c }) => {
    const ctx: ScriptContext = { output, vars: c.vars, expected: c.expected, case: { id: c.id, tags: c.tags ?? [] } };
    return toScore(await sandbox.score(ctx), path);
  };
  score.close = () => sandbox.close();
  return score;
}

function toScore(result: unknown, path: string): Score {
  if (typeof result === 'boolean') return { score: result ? 1 : 0 };
  if (typeof result === 'number') return { score: checked(result, result, path) };
  if (result && typeof result === 'object' && 'score' in result) {
    const { score, reason } = result as { score: unknown; reason?: unknown };
    const value =
      typeof score === 'boolean' ? (score ? 1 : 0) : typeof score === 'number' ? checked(score, result, path) : invalid(result, path);
    return reason === undefined || reason === null ? { score: value } : { score: value, reason: String(reason) };
  }
  return invalid(result, path);
}

function checked(score: number, result: unknown, path: string): number {
  return Number.isFinite(score) && score >= 0 && score <= 1 ? score : invalid(result, path);
}

function invalid(result: unknown, path: string): never {
  throw new Error(`scorer script ${path} returned ${describe(result)}; it must return a number in [0, 1], a boolean, or {score, reason}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}
