import type { FileSource } from '../git/source.js';
import type { DatasetMemo } from './dataset.js';
import type { Config, Finding } from '../types.js';

/** What a loader produced: `value` is undefined when any error finding was met on the way. */
export interface Loaded<T> {
  value?: T;
  findings: Finding[];
  /** The file does not exist; the caller reports it at the key that names it. */
  missing?: boolean;
}

/** One loadProject call: the source, the config, and files already loaded. */
export class LoadContext {
  private readonly loaded = new Map<string, Loaded<unknown>>();
  private readonly names = new Map<string, { file: string; line: number }>();

  constructor(
    readonly src: FileSource,
    readonly config: Config,
    /** Datasets parsed by another load of the same run (the head's, when this is the base). */
    readonly datasets?: DatasetMemo,
    /** Whether dataset files are read (see LoadOptions.datasetCases). */
    readonly datasetCases = true,
  ) {}

  /** Loads a file once: a file shared by several prompts is read once and its findings reported once. */
  once<T>(kind: string, path: string, load: () => Loaded<T>): Loaded<T> {
    const cacheKey = `${kind}:${path}`;
    const hit = this.loaded.get(cacheKey) as Loaded<T> | undefined;
    if (hit) return { ...hit, findings: [] };
    const result = load();
    this.loaded.set(cacheKey, result);
    return result;
  }

  /** Claims a prompt name for `file`; returns the earlier claimant when the name is taken. */
  claimName(name: string, file: string, line: number): { file: string; line: number } | undefined {
    const first = this.names.get(name);
    if (!first) this.names.set(name, { file, line });
    return first;
  }
}
