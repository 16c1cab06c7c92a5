import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A text kept in a temporary file instead of the heap, read back a slice at a time by byte
 * offset: a 500,000-case JSON Lines dataset is 100 MB that a run would otherwise hold from
 * start to end, for a read of a few hundred bytes per case now and then. The file is a copy,
 * so an edit of the dataset during the run changes nothing; it is removed when the text is
 * collected, and at exit.
 */
export class SpilledText {
  private constructor(
    private readonly fd: number,
    /** Bytes of the text in UTF-8. */
    readonly byteLength: number,
  ) {}

  /** Undefined when no temporary file can be written (a read-only or full disk): the text then stays where it is. */
  static of(text: string): SpilledText | undefined {
    let dir: string | undefined;
    try {
      dir = mkdtempSync(join(tmpdir(), 'promptgate-'));
      const fd = openSync(join(dir, 'text'), 'w+');
      temporary.set(dir, fd);
      if (!removedAtExit) process.once('exit', removeAll);
      removedAtExit = true;
      let bytes = 0;
      for (const piece of pieces(text)) {
        for (let written = 0; written < piece.length;) written += writeSync(fd, piece, written, piece.length - written, bytes + written);
        bytes += piece.length;
      }
      const spilled = new SpilledText(fd, bytes);
      collected.register(spilled, dir);
      return spilled;
    } catch {
      if (dir) remove(dir);
      return undefined;
    }
  }

  /** The text between byte offsets `start` and `end` (character boundaries). */
  slice(start: number, end: number): string {
    const length = end - start;
    if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.length));
    for (let read = 0; read < length;) {
      const n = readSync(this.fd, scratch, read, length - read, start + read);
      if (n === 0) throw new Error(`a temporary copy of a dataset ended at byte ${start + read}, before byte ${end}`);
      read += n;
    }
    return scratch.toString('utf8', 0, length);
  }

  /** Whether `text` is the text kept here (compared a piece at a time). */
  equals(text: string): boolean {
    if (Buffer.byteLength(text) !== this.byteLength) return false;
    let at = 0;
    for (const piece of pieces(text)) {
      const kept = Buffer.allocUnsafe(piece.length);
      for (let read = 0; read < piece.length;) {
        const n = readSync(this.fd, kept, read, piece.length - read, at + read);
        if (n === 0) return false;
        read += n;
      }
      if (!kept.equals(piece)) return false;
      at += piece.length;
    }
    return true;
  }
}

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

/** One buffer for every read: reads are synchronous, and a line is decoded before the next read. */
let scratch = Buffer.allocUnsafe(64 * 1024);

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
