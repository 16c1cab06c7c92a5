// Call ids in memory without an object per id: a big day has hundreds of thousands of calls, so
// ids are hashed to 53 bits and kept in an open-addressing table of typed arrays (8 bytes a
// slot, at most three quarters of the slots used), against several hundred bytes per entry
// for a Map of strings, which also leaves the garbage collector far behind. Two call ids share a hash with
// probability about n^2 / 2^54: below 1e-4 for a million ids.

const EMPTY = 0;
const DELETED = -1;
// Three quarters full keeps linear probing short (about 8 probes for an absent id at worst)
// and a table two thirds the size of a half-full one.
const MAX_LOAD = 0.75;
const INITIAL_CAPACITY = 1024;

/** Moves a slot's extra columns from the old arrays to the new ones while the table grows. */
export type SlotMover = (from: number, to: number) => void;

export class IdTable {
  protected capacity = INITIAL_CAPACITY;
  private keys = new Float64Array(INITIAL_CAPACITY);
  private live = 0;
  private occupied = 0;

  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.slotOf(id) >= 0;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.live = 0;
    this.occupied = 0;
  }

  /** The slot holding `id`, or -1. */
  protected slotOf(id: string): number {
    return this.live > 0 ? this.find(hashKey(id)) : -1;
  }

  /** Adds `id` when absent. Its slot: `slot` when just added, `-1 - slot` when it was there already. */
  protected put(id: string): number {
    if ((this.occupied + 1) / this.capacity > MAX_LOAD)
      this.rehash(this.live * 2 + 2 > this.capacity * MAX_LOAD ? this.capacity * 2 : this.capacity);
    const key = hashKey(id);
    const found = this.find(key);
    if (found >= 0) return -1 - found;
    const slot = this.insertionSlot(key);
    if (this.keys[slot] === EMPTY) this.occupied += 1;
    this.keys[slot] = key;
    this.live += 1;
    return slot;
  }

  protected remove(slot: number): void {
    this.keys[slot] = DELETED;
    this.live -= 1;
  }

  /** Subclasses with per-slot columns allocate them at `capacity` here and say how to move a slot's values. */
  protected resized(_capacity: number): SlotMover | null {
    return null;
  }

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
    const old = this.keys;
    this.capacity = capacity;
    this.keys = new Float64Array(capacity);
    const move = this.resized(capacity);
    this.occupied = 0;
    for (let i = 0; i < old.length; i++) {
      const key = old[i]!;
      if (key === EMPTY || key === DELETED) continue;
      const slot = this.insertionSlot(key);
      this.keys[slot] = key;
      move?.(i, slot);
      this.occupied += 1;
    }
  }
}

/** The set of call ids seen, to count a call delivered twice (same call_id) once. */
export class CallIdSet extends IdTable {
  /** True when `id` is new; false when it was seen before. */
  add(id: string): boolean {
    return this.put(id) >= 0;
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
