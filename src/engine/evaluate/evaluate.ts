import { BudgetExceededError, MissingKeyError, type ModelRunner } from '../models/runner.js';
import { createScorer, type Scorer } from '../scorers/index.js';
import type { OutputStore } from './output-store.js';
import { caseIndex } from './case-index.js';
import { SampleList } from './sample-list.js';
import { PromptTemplates, renderMessages, renderMetricValue } from '../artifact/template.js';
import type { FileSource } from '../git/source.js';
import type { Case, CaseList, ChatMessage, ChatRequest, ChatResponse, EvalResult, MissingKey, Prompt, Sample, Suite } from '../types.js';

export interface EvaluateDeps {
  runner: ModelRunner;
  /** Absolute repo root: script scorers are imported from the working tree. */
  root: string;
  /** Where the suite's files (schemas, scorers) are read: always the head. */
  suiteSrc: FileSource;
  /** The suite's cases to evaluate (a shard's); default all. */
  cases?: CaseList;
  /** Called once per finished sample, for progress displays. */
  onSample?: () => void;
  /** Where the run keeps the outputs read after scoring; default a store of this evaluation's own. */
  outputs?: OutputStore;
}

/**
 * One prompt version on the suite of `suiteOf` (the head's, also when `prompt` is the base):
 * every case x repeat rendered, completed and scored. Samples that fail are kept as errors
 * scoring 0, never dropped. A spent budget aborts.
 */
export async function evaluate(prompt: Prompt, promptSrc: FileSource, suiteOf: Prompt, deps: EvaluateDeps): Promise<EvalResult> {
  const { suite } = suiteOf;
  const templates = new PromptTemplates(promptSrc, prompt.file);
  const suiteTemplates = new PromptTemplates(deps.suiteSrc, suite.file);
  const created = await Promise.allSettled(
    suite.metrics.map(async (metric) => ({
      name: metric.name,
      score: await createScorer(metric, {
        root: deps.root,
        source: deps.suiteSrc,
        judge: (req) => deps.runner.complete(req),
        renderValue: (template, c) =>
          renderMetricValue(suiteTemplates, template, c, { file: suite.file, ...(metric.line ? { line: metric.line } : {}) }),
      }),
    })),
  );
  const scorers = created.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  // Script scorers hold worker threads: release them however the evaluation ends.
  const close = () => Promise.all(scorers.map((s) => s.score.close?.()));
  const failed = created.find((s) => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }

  const cases = deps.cases ?? suite.cases;
  try {
    const samples = await runWindowed(
      cases,
      suite.repeat,
      suite.metrics.map((m) => m.name),
      (c, sample) => runSample(prompt, templates, c, sample, scorers, deps),
      deps,
    );
    return {
      prompt: prompt.name,
      version: prompt.version,
      promptHash: prompt.artifact.hash,
      model: prompt.model.name,
      samples,
      cases: caseIndex(cases),
      repeat: suite.repeat,
    };
  } finally {
    await close();
  }
}

/**
 * Runs every case x repeat into a SampleList, keeping only a window of samples in progress (twice the
 * runner's concurrency): scheduling 50,000 at once would hold their rendered messages and
 * pending calls in memory together for no gain in speed, since the runner's limit decides
 * how many calls are in flight. On a spent budget no new sample starts; it is rethrown once
 * the ones in flight have settled.
 */
async function runWindowed(
  cases: CaseList,
  repeat: number,
  metrics: string[],
  run: (c: Case, sample: number) => Promise<Sample>,
  deps: EvaluateDeps,
): Promise<SampleList> {
  const total = cases.length * repeat;
  const samples = new SampleList(cases, repeat, metrics, deps.outputs);
  let next = 0;
  let stop: unknown;
  const worker = async (): Promise<void> => {
    while (next < total && stop === undefined) {
      const index = next++;
      try {
        samples.set(index, await run(cases.at(Math.floor(index / repeat))!, index % repeat));
      } catch (err) {
        stop ??= err;
      }
      deps.onSample?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(total, 2 * deps.runner.concurrency) }, worker));
  if (stop !== undefined) throw stop;
  return samples;
}

/**
 * The requests evaluate() will make for the prompt's own samples (not judges), for estimates,
 * rendered one case at a time as they are consumed. Cases that do not render are left out.
 */
export function* plannedRequests(prompt: Prompt, promptSrc: FileSource, suite: Suite, cases = suite.cases): Generator<ChatRequest> {
  const templates = new PromptTemplates(promptSrc, prompt.file);
  for (const c of cases) {
    let messages;
    try {
      messages = renderMessages(prompt, templates, c.vars);
    } catch {
      continue;
    }
    for (let sample = 0; sample < suite.repeat; sample++) yield requestFor(prompt, messages, sample);
  }
}

function requestFor(prompt: Prompt, messages: ChatMessage[], sample: number): ChatRequest {
  return { provider: prompt.model.provider, model: prompt.model.name, params: prompt.model.params, messages, sample };
}

async function runSample(
  prompt: Prompt,
  templates: PromptTemplates,
  c: Case,
  sample: number,
  scorers: { name: string; score: Scorer }[],
  deps: EvaluateDeps,
): Promise<Sample> {
  let response;
  try {
    response = await deps.runner.complete(requestFor(prompt, renderMessages(prompt, templates, c.vars), sample));
  } catch (err) {
    if (err instanceof BudgetExceededError) throw err;
    const zero = Object.fromEntries(scorers.map((s) => [s.name, 0]));
    return sampleOf(c.id, sample, undefined, zero, { error: messageOf(err), missingKey: missingKeyOf(err) });
  }
  const scores: Record<string, number> = {};
  let reasons: Record<string, string> | undefined;
  const failures: string[] = [];
  let missingKey: MissingKey | undefined;
  for (const { name, score } of scorers) {
    try {
      const result = await score({ output: response.text, case: c });
      scores[name] = result.score;
      if (result.reason) (reasons ??= {})[name] = result.reason;
    } catch (err) {
      if (err instanceof BudgetExceededError) throw err;
      scores[name] = 0;
      failures.push(`${name}: ${messageOf(err)}`);
      missingKey ??= missingKeyOf(err);
    }
  }
  return sampleOf(c.id, sample, response, scores, { error: failures.length ? failures.join('; ') : undefined, missingKey, reasons });
}

/**
 * Every sample is made by this one literal, absent fields undefined: a run holds tens of
 * thousands of samples, and objects assembled by spreads got a hidden class each (a quarter
 * of the live heap at 50,000 samples).
 */
function sampleOf(
  caseId: string,
  sample: number,
  response: ChatResponse | undefined,
  scores: Record<string, number>,
  extra: Pick<Sample, 'error' | 'missingKey' | 'reasons'>,
): Sample {
  return {
    caseId,
    sample,
    output: response?.text ?? '',
    error: extra.error,
    missingKey: extra.missingKey,
    latencyMs: response?.latencyMs ?? 0,
    inputTokens: response?.inputTokens ?? 0,
    outputTokens: response?.outputTokens ?? 0,
    costUsd: response?.costUsd ?? 0,
    cached: response?.cached ?? false,
    scores,
    reasons: extra.reasons,
  };
}

function missingKeyOf(err: unknown): MissingKey | undefined {
  return err instanceof MissingKeyError ? err.key : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
