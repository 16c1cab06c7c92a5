import type { FileSource } from '../git/source.js';
import type { Case, ChatRequest, ChatResponse, Metric } from '../types.js';

export interface ScoreInput {
  output: string;
  case: Case;
}

export interface Score {
  /** In [0, 1]; booleans are 0/1. */
  score: number;
  reason?: string;
}

/**
 * Scores one sample. Throws when the sample cannot be scored; the evaluator records that as a
 * sample error. `close` releases what the scorer holds (a script's workers) once the run is done.
 */
export type Scorer = ((input: ScoreInput) => Promise<Score>) & { close?: () => Promise<void> };

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

export { createScorer } from './registry.js';
