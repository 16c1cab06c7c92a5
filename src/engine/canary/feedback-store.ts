// The latest feedback per call id, waiting for its call (pass 2 of the canary check and of
// the dashboard). An IdTable with a timestamp and one value per metric in typed-array columns:
// about 50 bytes an entry at the table's worst load, nothing allocated per entry.
import { IdTable, type SlotMover } from './id-table.js';

export class FeedbackStore extends IdTable {
  private ts = new Float64Array(this.capacity);
  /** Per metric name, one value per slot; NaN where that feedback did not carry the metric. */
  private readonly values = new Map<string, Float64Array>();

  /** Keeps `metrics` unless the call id already has feedback with a later `ts` (latest wins). */
  keep(callId: string, ts: number, metrics: Record<string, number>): void {
    const put = this.put(callId);
    const slot = put >= 0 ? put : -1 - put;
    if (put < 0 && this.ts[slot]! > ts) return;
    this.ts[slot] = ts;
    for (const column of this.values.values()) column[slot] = NaN;
    for (const [name, value] of Object.entries(metrics)) this.column(name)[slot] = value;
  }

  /** The kept metrics of `callId`, forgetting them; undefined when there are none. */
  take(callId: string): Record<string, number> | undefined {
    const slot = this.slotOf(callId);
    if (slot < 0) return undefined;
    this.remove(slot);
    const metrics: Record<string, number> = {};
    for (const [name, column] of this.values) if (!Number.isNaN(column[slot]!)) metrics[name] = column[slot]!;
    return metrics;
  }

  protected override resized(capacity: number): SlotMover {
    const ts = this.ts;
    const old = [...this.values];
    this.ts = new Float64Array(capacity);
    for (const [name] of old) this.values.set(name, new Float64Array(capacity).fill(NaN));
    const columns = old.map(([name, column]) => [column, this.values.get(name)!] as const);
    return (from, to) => {
      this.ts[to] = ts[from]!;
      for (const [before, after] of columns) after[to] = before[from]!;
    };
  }

  private column(name: string): Float64Array {
    let column = this.values.get(name);
    if (!column) this.values.set(name, (column = new Float64Array(this.capacity).fill(NaN)));
    return column;
  }
}
