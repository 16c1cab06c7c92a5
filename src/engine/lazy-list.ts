/**
 * A list whose items are made one at a time each time it is read, and dropped once read:
 * for lists as long as a suite (a detail per case) that the outlets read once or twice, so
 * they are never all in memory together. JSON.stringify writes it as the array it stands for;
 * the JSON report's writer streams it item by item.
 */
export class LazyList<T> implements Iterable<T> {
  constructor(
    readonly length: number,
    private readonly items: () => Iterable<T>,
  ) {}

  [Symbol.iterator](): Iterator<T> {
    return this.items()[Symbol.iterator]();
  }

  toJSON(): T[] {
    return [...this];
  }
}
