import { closeSync, copyFileSync, existsSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Text kept in a temporary file instead of the heap, read back a slice at a time by byte
 * offset: a 500,000-case JSON Lines dataset is 100 MB that a run would otherwise hold from
 * start to end, for a read of a few hundred bytes per case now and then; the outputs a run
 * keeps are appended to one the same way. A dataset's file is a copy, so an edit of the dataset
 * during the run changes nothing. The file is removed when this is collected, and at exit.
 */
export class SpilledText {
  private bytes = 0;
  /** The last block read: the lines (or outputs) after one read are usually read next. */
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private blockStart = 0;
  private blockLength = 0;

  private constructor(private readonly fd: number) {}

  /** Bytes written so far. */
  get byteLength(): number {
    return this.bytes;
  }

  /** A new empty temporary file; undefined when none can be written (a read-only or full disk). */
  static create(): SpilledText | undefined {
    return SpilledText.made(() => {});
  }

  /** A copy of the file at `path`, made without reading it in; undefined when it cannot be made. */
  static copyOf(path: string): SpilledText | undefined {
    return SpilledText.made((file) => copyFileSync(path, file));
  }

  /** A temporary file that `fill` writes first. */
  private static made(fill: (file: string) => void): SpilledText | undefined {
    let dir: string | undefined;
    try {
      dir = mkdtempSync(join(tmpdir(), 'promptgate-'));
      const file = join(dir, 'text');
      fill(file);
      const fd = openSync(file, existsSync(file) ? 'r+' : 'w+');
      temporary.set(dir, fd);
      if (!removedAtExit) process.once('exit', removeAll);
      removedAtExit = true;
      const spilled = new SpilledText(fd);
      spilled.bytes = fstatSync(fd).size;
      collected.register(spilled, dir);
      return spilled;
    } catch {
      if (dir) remove(dir);
      return undefined;
    }
  }

  /** `bytes` in a temporary file; undefined when they cannot be written: they then stay where they are. */
  static of(bytes: Buffer): SpilledText | undefined {
    return SpilledText.made((file) => writeFileSync(file, bytes));
  }

  /** Writes `text` at the end; its byte offsets. Throws when the disk refuses (nothing counts as written then). */
  append(text: string): [start: number, end: number] {
    const start = this.bytes;
    for (const piece of pieces(text)) this.write(piece, start);
    return [start, this.bytes];
  }

  /** Writes `bytes` at the end; on a refusal, what was written since `from` does not count. */
  private write(bytes: Buffer, from = this.bytes): void {
    try {
      for (let written = 0; written < bytes.length;)
        written += writeSync(this.fd, bytes, written, bytes.length - written, this.bytes + written);
    } catch (err) {
      this.bytes = from;
      throw err;
    }
    this.bytes += bytes.length;
  }

  /** The text between byte offsets `start` and `end` (character boundaries), from the block that holds it. */
  slice(start: number, end: number): string {
    if (start < this.blockStart || end > this.blockStart + this.blockLength) this.readBlock(start, end);
    return this.block.toString('utf8', start - this.blockStart, end - this.blockStart);
  }

  /** Whether `bytes` are the bytes kept here (compared a block at a time). */
  equals(bytes: Buffer): boolean {
    if (bytes.length !== this.bytes) return false;
    const kept = Buffer.allocUnsafe(Math.min(PIECE_BYTES, bytes.length));
    for (let at = 0; at < bytes.length;) {
      const n = this.read(kept, Math.min(kept.length, bytes.length - at), at);
      if (n === 0 || !kept.subarray(0, n).equals(bytes.subarray(at, at + n))) return false;
      at += n;
    }
    return true;
  }

  /** The bytes a megabyte at a time, each block but the last ending just after a `delimiter` byte: no line is split across two. */
  *blocks(delimiter: number): Generator<{ bytes: Buffer; at: number }> {
    let at = 0;
    while (at < this.bytes) {
      const block = Buffer.allocUnsafe(Math.min(PIECE_BYTES, this.bytes - at));
      const n = this.read(block, block.length, at);
      if (n === 0) return;
      const last = at + n === this.bytes ? n - 1 : block.lastIndexOf(delimiter, n - 1);
      // A line longer than a block: read from its start with a block as long as it needs.
      const end = last === -1 ? this.readThrough(delimiter, at) : at + last + 1;
      yield { bytes: end - at > n ? this.readAt(at, end) : block.subarray(0, end - at), at };
      at = end;
    }
  }

  /** Where the line starting at `from` ends: just after the next `delimiter` byte, or at the end. */
  private readThrough(delimiter: number, from: number): number {
    const block = Buffer.allocUnsafe(PIECE_BYTES);
    for (let at = from; at < this.bytes; at += block.length) {
      const n = this.read(block, Math.min(block.length, this.bytes - at), at);
      const found = block.subarray(0, n).indexOf(delimiter);
      if (found !== -1) return at + found + 1;
    }
    return this.bytes;
  }

  private readAt(start: number, end: number): Buffer {
    const bytes = Buffer.allocUnsafe(end - start);
    this.read(bytes, bytes.length, start);
    return bytes;
  }

  private readBlock(start: number, end: number): void {
    if (this.block.length < end - start) this.block = Buffer.allocUnsafe(end - start);
    this.blockStart = start;
    this.blockLength = this.read(this.block, Math.min(this.block.length, this.bytes - start), start);
    if (this.blockLength < end - start)
      throw new Error(`a temporary file of promptgate's ended at byte ${start + this.blockLength}, before byte ${end}`);
  }

  /** Reads up to `length` bytes at `position` into `into`; how many there were. */
  private read(into: Buffer, length: number, position: number): number {
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, into, read, length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return read;
  }
}

/** A read brings this much: the next cases' lines, or the next outputs, come with it. */
const BLOCK_BYTES = 64 * 1024;

/** A text's UTF-8 bytes a megabyte of characters at a time, so it is never held twice over (as a string and as bytes). */
function* pieces(text: string): Generator<Buffer> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + PIECE_CHARS, text.length);
    // Never between the two halves of a surrogate pair: each half alone would be encoded as U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield Buffer.from(text.slice(start, end), 'utf8');
    start = end;
  }
}

const PIECE_CHARS = 1 << 20;
const PIECE_BYTES = 1 << 20;

/** Each temporary directory and its open file. */
const temporary = new Map<string, number>();
let removedAtExit = false;

const collected = new FinalizationRegistry<string>(remove);

function remove(dir: string): void {
  const fd = temporary.get(dir);
  temporary.delete(dir);
  // Closed first: Windows does not remove an open file.
  if (fd !== undefined) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
}

function removeAll(): void {
  for (const dir of [...temporary.keys()]) remove(dir);
}
