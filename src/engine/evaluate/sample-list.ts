import type { CaseList, IndexedList, Sample } from '../types.js';
import { OutputStore } from './output-store.js';

/**
 * Whether a sample's output is worth keeping after it is scored: a case's first sample's (the
 * one reports show) and an errored sample's (usage counts one with an output as a call: the
 * model answered, a scorer failed). The other repeats' outputs are read by nothing.
 */
export function keepsOutput(sample: Pick<Sample, 'sample' | 'error'>): boolean {
  return sample.sample === 0 || sample.error !== undefined;
}

/**
 * An evaluation's samples, folded into columns as they are scored. A sample object with its
 * scores costs ~210 bytes of heap beside its output text, a row here ~50 with one metric: at
 * 500,000 samples that is 80 MB the run no longer holds. Reading a sample makes its object
 * again, for the moment it is read; the comparison and the report read each twice, in order.
 * Outputs are kept as `keepsOutput` says, in memory or in the run's OutputStore; the others
 * read back as ''. Laid out by case, as an evaluation's result is: sample i is repeat
 * `i % repeat` of case `floor(i / repeat)`, whose id it reads from the case list.
 */
export class SampleList implements IndexedList<Sample> {
  readonly length: number;
  private readonly outputs: string[];
  /** Byte offsets of the outputs the store put in its file (made at the first); NaN for one in `outputs`. */
  private spilled?: { start: Float64Array; end: Float64Array };
  /** Repeat is at most 1,000. */
  private readonly sampleNumbers: Uint16Array;
  /** Row-major, a column per metric; NaN where a sample has no score for the metric. */
  private readonly scores: Float64Array;
  private readonly latencyMs: Float64Array;
  private readonly inputTokens: Float64Array;
  private readonly outputTokens: Float64Array;
  private readonly costUsd: Float64Array;
  /** 0: not stored yet; 1: stored; 2: stored, from the cache. */
  private readonly state: Uint8Array;
  /** Errors, missing keys and reasons: rare, or only beside judges and scripts. */
  private readonly extras = new Map<number, Pick<Sample, 'error' | 'missingKey' | 'reasons'>>();

  constructor(
    private readonly cases: CaseList,
    private readonly repeat: number,
    private readonly metrics: string[],
    private readonly store = new OutputStore(),
  ) {
    const length = (this.length = cases.length * repeat);
    this.outputs = new Array<string>(length);
    this.sampleNumbers = new Uint16Array(length);
    this.scores = new Float64Array(length * metrics.length);
    this.latencyMs = new Float64Array(length);
    this.inputTokens = new Float64Array(length);
    this.outputTokens = new Float64Array(length);
    this.costUsd = new Float64Array(length);
    this.state = new Uint8Array(length);
  }

  /** Stores sample `index`, which is of the case at `floor(index / repeat)`. */
  set(index: number, sample: Sample): void {
    const output = keepsOutput(sample) ? sample.output : '';
    const at = output === '' ? undefined : this.store.put(output);
    this.outputs[index] = at ? '' : output;
    if (at) {
      this.spilled ??= { start: new Float64Array(this.length).fill(Number.NaN), end: new Float64Array(this.length) };
      [this.spilled.start[index], this.spilled.end[index]] = at;
    }
    this.sampleNumbers[index] = sample.sample;
    const row = index * this.metrics.length;
    this.metrics.forEach((metric, m) => (this.scores[row + m] = sample.scores[metric] ?? Number.NaN));
    this.latencyMs[index] = sample.latencyMs;
    this.inputTokens[index] = sample.inputTokens;
    this.outputTokens[index] = sample.outputTokens;
    this.costUsd[index] = sample.costUsd;
    this.state[index] = sample.cached ? 2 : 1;
    if (sample.error !== undefined || sample.missingKey !== undefined || sample.reasons !== undefined) {
      this.extras.set(index, { error: sample.error, missingKey: sample.missingKey, reasons: sample.reasons });
    }
  }

  at(index: number): Sample | undefined {
    if (!(index >= 0 && index < this.length && this.state[index])) return undefined;
    const scores: Record<string, number> = {};
    const row = index * this.metrics.length;
    this.metrics.forEach((metric, m) => {
      const score = this.scores[row + m]!;
      if (!Number.isNaN(score)) scores[metric] = score;
    });
    const extra = this.extras.get(index);
    return {
      caseId: this.cases.at(Math.floor(index / this.repeat))!.id,
      sample: this.sampleNumbers[index]!,
      output: this.outputOf(index),
      error: extra?.error,
      missingKey: extra?.missingKey,
      latencyMs: this.latencyMs[index]!,
      inputTokens: this.inputTokens[index]!,
      outputTokens: this.outputTokens[index]!,
      costUsd: this.costUsd[index]!,
      cached: this.state[index] === 2,
      scores,
      reasons: extra?.reasons,
    };
  }

  private outputOf(index: number): string {
    const start = this.spilled?.start[index];
    return start === undefined || Number.isNaN(start) ? this.outputs[index]! : this.store.read(start, this.spilled!.end[index]!);
  }

  *[Symbol.iterator](): Iterator<Sample> {
    for (let i = 0; i < this.length; i++) {
      const sample = this.at(i);
      if (sample) yield sample;
    }
  }
}
