import type { FileSource } from '../git/source.js';
import type { Case, ChatRequest, ChatResponse, Metric } from '../types.js';
import { createJsonScorer } from './json.js';
import { createJudgeScorer } from './judge.js';
import { createRefusalScorer } from './refusal.js';
import { createScriptScorer } from './script.js';
import { createTextScorer } from './text.js';

export interface ScoreInput {
  output: string;
  case: Case;
}

export interface Score {
  /** In [0, 1]; booleans are 0/1. */
  score: number;
  reason?: string;
}

/** Scores one sample. Throws when the sample cannot be scored; the evaluator records that as a sample error. */
export type Scorer = (input: ScoreInput) => Promise<Score>;

export interface ScorerDeps {
  /** Absolute repo root, for script imports. */
  root: string;
  /** To read json-schema files. */
  source: FileSource;
  /** The shared model runner (same limits and cache as prompt calls). */
  judge: (req: ChatRequest) => Promise<ChatResponse>;
  /** Nunjucks rendering of metric values (vars + expected + case). */
  renderValue: (template: string, c: Case, metric: Metric) => string;
}

/** Builds the scorer for one metric; static work (schemas, regexes, script modules) happens once, here. */
export async function createScorer(metric: Metric, deps: ScorerDeps): Promise<Scorer> {
  switch (metric.type) {
    case 'equals':
    case 'contains':
    case 'icontains':
    case 'not-contains':
    case 'starts-with':
    case 'regex':
    case 'not-regex':
    case 'max-length':
      return createTextScorer(metric, deps);
    case 'is-json':
    case 'json-schema':
      return createJsonScorer(metric, deps);
    case 'refusal':
    case 'not-refusal':
      return createRefusalScorer(metric);
    case 'llm-judge':
      return createJudgeScorer(metric, deps);
    case 'script':
      return createScriptScorer(metric, deps);
  }
}
