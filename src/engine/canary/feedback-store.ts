// The latest feedback per call id, waiting for its call (pass 2 of the check). A big day has
// hundreds of thousands of these, so nothing here is an object per entry: call ids are hashed
// to 53 bits and kept in an open-addressing table of typed arrays (about 50 bytes an entry at
// the table's worst load, against several hundred for a Map of strings to objects, which
// also leaves the garbage collector far behind). Two call ids share a hash with probability
// about n^2 / 2^54: below 1e-5 for a million pending feedbacks.

const EMPTY = 0;
const DELETED = -1;
const MAX_LOAD = 0.5;

export class FeedbackStore {
  private capacity = 1024;
  private keys = new Float64Array(this.capacity);
  private ts = new Float64Array(this.capacity);
  /** Per metric name, one value per slot; NaN where that feedback did not carry the metric. */
  private readonly values = new Map<string, Float64Array>();
  private live = 0;
  private occupied = 0;

  get size(): number {
    return this.live;
  }

  /** Keeps `metrics` unless the call id already has feedback with a later `ts` (latest wins). */
  keep(callId: string, ts: number, metrics: Record<string, number>): void {
    if ((this.occupied + 1) / this.capacity > MAX_LOAD)
      this.rehash(this.live * 2 + 2 > this.capacity * MAX_LOAD ? this.capacity * 2 : this.capacity);
    const key = hashKey(callId);
    let slot = this.find(key);
    if (slot >= 0) {
      if (this.ts[slot]! > ts) return;
    } else {
      slot = this.insertionSlot(key);
      if (this.keys[slot] === EMPTY) this.occupied += 1;
      this.keys[slot] = key;
      this.live += 1;
    }
    this.ts[slot] = ts;
    for (const column of this.values.values()) column[slot] = NaN;
    for (const [name, value] of Object.entries(metrics)) this.column(name)[slot] = value;
  }

  has(callId: string): boolean {
    return this.live > 0 && this.find(hashKey(callId)) >= 0;
  }

  /** The kept metrics of `callId`, forgetting them; undefined when there are none. */
  take(callId: string): Record<string, number> | undefined {
    const slot = this.find(hashKey(callId));
    if (slot < 0) return undefined;
    this.keys[slot] = DELETED;
    this.live -= 1;
    const metrics: Record<string, number> = {};
    for (const [name, column] of this.values) if (!Number.isNaN(column[slot]!)) metrics[name] = column[slot]!;
    return metrics;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.live = 0;
    this.occupied = 0;
  }

  /** The slot holding `key`, or -1. */
  private find(key: number): number {
    const mask = this.capacity - 1;
    for (let i = key % this.capacity; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return i;
      if (k === EMPTY) return -1;
    }
  }

  /** The first empty or deleted slot on `key`'s probe path. */
  private insertionSlot(key: number): number {
    const mask = this.capacity - 1;
    for (let i = key % this.capacity; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === EMPTY || k === DELETED) return i;
    }
  }

  /** Rebuilds the table at `capacity` (a power of two), dropping deleted slots. */
  private rehash(capacity: number): void {
    const { keys, ts, values } = this;
    const old = [...values];
    this.capacity = capacity;
    this.keys = new Float64Array(capacity);
    this.ts = new Float64Array(capacity);
    for (const [name] of old) values.set(name, new Float64Array(capacity).fill(NaN));
    this.occupied = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === EMPTY || key === DELETED) continue;
      const slot = this.insertionSlot(key);
      this.keys[slot] = key;
      this.ts[slot] = ts[i]!;
      for (const [name, column] of old) values.get(name)![slot] = column[i]!;
      this.occupied += 1;
    }
  }

  private column(name: string): Float64Array {
    let column = this.values.get(name);
    if (!column) this.values.set(name, (column = new Float64Array(this.capacity).fill(NaN)));
    return column;
  }
}

/** A positive 53-bit hash of the call id (two 32-bit FNV-1a variants), never EMPTY or DELETED. */
function hashKey(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return ((a >>> 0) % 0x200000) * 0x100000000 + (b >>> 0) + 1;
}
