import picomatch from 'picomatch';
import type { ProviderType } from '../types.js';
import { KNOWN_MODELS } from './known-models.js';

export type Pinning = { kind: 'pinned' } | { kind: 'floating'; suggestion?: string } | { kind: 'unverified' };

/** `-YYYY-MM-DD`, `-YYYYMMDD`, or OpenAI's older `-MMDD` (`gpt-4-0613`). */
const SNAPSHOT_SUFFIX = /-(?:(20\d\d)-(\d\d)-(\d\d)|(20\d\d)(\d\d)(\d\d)|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))$/;
const LATEST_SUFFIX = '-latest';
const FINE_TUNE_PREFIX = 'ft:';

interface Snapshot {
  /** The name without its snapshot suffix. */
  stem: string;
  /** Sortable `YYYYMMDD`. */
  date: string;
}

function parseSnapshot(name: string): Snapshot | undefined {
  const m = SNAPSHOT_SUFFIX.exec(name);
  if (!m) return undefined;
  const stem = name.slice(0, m.index);
  if (m[1]) return { stem, date: `${m[1]}${m[2]}${m[3]}` };
  if (m[4]) return { stem, date: `${m[4]}${m[5]}${m[6]}` };
  // Four-digit snapshots carry no year. OpenAI used them from March 2023 (0301) to
  // January 2024 (0125) and dated names after that, so the month tells the year.
  const month = m[7]!;
  return { stem, date: `${month >= '03' ? '2023' : '2024'}${month}${m[8]}` };
}

interface ProviderTable {
  known: ReadonlySet<string>;
  /** Alias -> the newest dated snapshot of it in the table. */
  newestSnapshot: ReadonlyMap<string, string>;
}

/** A known name is an alias when the table also holds it with a snapshot suffix. */
function buildTable(names: readonly string[]): ProviderTable {
  const known = new Set(names);
  const newest = new Map<string, { name: string; date: string }>();
  for (const name of names) {
    const snapshot = parseSnapshot(name);
    if (!snapshot || !known.has(snapshot.stem)) continue;
    const current = newest.get(snapshot.stem);
    if (!current || snapshot.date > current.date) newest.set(snapshot.stem, { name, date: snapshot.date });
  }
  return { known, newestSnapshot: new Map([...newest].map(([alias, { name }]) => [alias, name])) };
}

const TABLES: Record<ProviderType, ProviderTable> = {
  openai: buildTable(KNOWN_MODELS.openai),
  anthropic: buildTable(KNOWN_MODELS.anthropic),
};

/**
 * Whether a model name stays fixed (SPEC 5, model-unpinned / model-unverified). `-latest`
 * names float even when `allow` matches them: the provider repoints them by design.
 */
export function classifyModel(provider: ProviderType, name: string, allow: string[]): Pinning {
  const table = TABLES[provider];
  if (name.endsWith(LATEST_SUFFIX)) {
    return floating(table.newestSnapshot.get(name.slice(0, -LATEST_SUFFIX.length)));
  }
  if (name.startsWith(FINE_TUNE_PREFIX)) return { kind: 'pinned' };
  if (allow.length > 0 && picomatch.isMatch(name, allow)) return { kind: 'pinned' };
  if (parseSnapshot(name)) return { kind: 'pinned' };
  const suggestion = table.newestSnapshot.get(name);
  if (suggestion) return floating(suggestion);
  return table.known.has(name) ? { kind: 'pinned' } : { kind: 'unverified' };
}

function floating(suggestion: string | undefined): Pinning {
  return suggestion ? { kind: 'floating', suggestion } : { kind: 'floating' };
}
