import { access, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { writeFileAtomic } from '../files/atomic-write.js';
import { stableHash } from '../artifact/hash.js';
import type { ChatMessage, ProviderType } from '../types.js';

/** What a cache entry holds: enough to rebuild a ChatResponse without the network. */
export interface CachedResponse {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** Everything that decides a response; a change to any part is a different entry. */
export interface CacheKeyParts {
  type: ProviderType;
  baseUrl: string;
  model: string;
  params: Record<string, unknown>;
  messages: ChatMessage[];
  sample: number;
}

// Bump when the entry format or the key's meaning changes, so old entries are simply missed.
const FORMAT = 1;

// Enough parallel file operations to keep the libuv pool busy without running out of
// descriptors when thousands of samples look up the cache at once.
const IO_CONCURRENCY = 32;

/**
 * Content-addressed response cache: one JSON file per entry at `<dir>/<2 hex>/<hash>.json`.
 * Entries are written to a unique temporary file and renamed into place, so a killed
 * process leaves either the whole entry or none; anything unreadable is a miss.
 */
export class ResponseCache {
  readonly #dir: string;
  readonly #io = pLimit(IO_CONCURRENCY);

  constructor(dir: string) {
    this.#dir = dir;
  }

  static key(parts: CacheKeyParts): string {
    return stableHash({ format: FORMAT, ...parts }).replace(/^sha256:/, '');
  }

  /** Path of the entry for `key` (exposed for tests and diagnostics). */
  pathOf(key: string): string {
    return join(this.#dir, key.slice(0, 2), `${key}.json`);
  }

  /** Whether an entry exists, without reading it (for estimates before a run). */
  async has(key: string): Promise<boolean> {
    return this.#io(() => access(this.pathOf(key))).then(
      () => true,
      () => false,
    );
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    let raw: string;
    try {
      raw = await this.#io(() => readFile(this.pathOf(key), 'utf8'));
    } catch {
      return undefined;
    }
    return parseEntry(raw);
  }

  /**
   * Removes temporary files that a killed run left behind (`*.tmp` older than `before`,
   * the start of this run), so they neither pile up nor get saved by actions/cache.
   * Newer ones may belong to a run in progress beside this one, and are left alone.
   */
  async removeStaleTemps(before: number): Promise<void> {
    let shards: string[];
    try {
      shards = await readdir(this.#dir);
    } catch {
      return;
    }
    for (const shard of shards) {
      let files: string[];
      try {
        files = await readdir(join(this.#dir, shard));
      } catch {
        continue;
      }
      await Promise.all(
        files
          .filter((f) => f.endsWith('.tmp'))
          .map((f) =>
            this.#io(async () => {
              const path = join(this.#dir, shard, f);
              try {
                if ((await stat(path)).mtimeMs < before) await rm(path, { force: true });
              } catch {
                // Renamed or removed by its writer meanwhile.
              }
            }),
          ),
      );
    }
  }

  /** Stores an entry atomically. Rejects when the directory cannot be written. */
  async set(key: string, value: CachedResponse): Promise<void> {
    const body = JSON.stringify({ text: value.text, inputTokens: value.inputTokens, outputTokens: value.outputTokens });
    await this.#io(() => writeFileAtomic(this.pathOf(key), body));
  }
}

function parseEntry(raw: string): CachedResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { text, inputTokens, outputTokens } = value as Record<string, unknown>;
  if (typeof text !== 'string' || !isCount(inputTokens) || !isCount(outputTokens)) return undefined;
  return { text, inputTokens, outputTokens };
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}
