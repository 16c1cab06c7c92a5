import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
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
    let dir: string | undefined;
    try {
      dir = mkdtempSync(join(tmpdir(), 'promptgate-'));
      const fd = openSync(join(dir, 'text'), 'w+');
      temporary.set(dir, fd);
      if (!removedAtExit) process.once('exit', removeAll);
      removedAtExit = true;
      const spilled = new SpilledText(fd);
      collected.register(spilled, dir);
      return spilled;
    } catch {
      if (dir) remove(dir);
      return undefined;
    }
  }

  /** `text` in a temporary file; undefined when it cannot be written: the text then stays where it is. */
  static of(text: string): SpilledText | undefined {
    const spilled = SpilledText.create();
    try {
      spilled?.append(text);
      return spilled;
    } catch {
      return undefined;
    }
  }

  /** Writes `text` at the end; its byte offsets. Throws when the disk refuses (nothing counts as written then). */
  append(text: string): [start: number, end: number] {
    const start = this.bytes;
    let end = start;
    for (const piece of pieces(text)) {
      for (let written = 0; written < piece.length;) written += writeSync(this.fd, piece, written, piece.length - written, end + written);
      end += piece.length;
    }
    this.bytes = end;
    return [start, end];
  }

  /** The text between byte offsets `start` and `end` (character boundaries), from the block that holds it. */
  slice(start: number, end: number): string {
    if (start < this.blockStart || end > this.blockStart + this.blockLength) this.readBlock(start, end);
    return this.block.toString('utf8', start - this.blockStart, end - this.blockStart);
  }

  /** Whether `text` is the text kept here (compared a piece at a time). */
  equals(text: string): boolean {
    if (Buffer.byteLength(text) !== this.bytes) return false;
    let at = 0;
    for (const piece of pieces(text)) {
      const kept = Buffer.allocUnsafe(piece.length);
      if (this.read(kept, piece.length, at) < piece.length || !kept.equals(piece)) return false;
      at += piece.length;
    }
    return true;
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
