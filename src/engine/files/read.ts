import { isUtf8 } from 'node:buffer';
import type { FileSource } from '../git/source.js';
import type { Finding } from '../types.js';
import { invalid } from './finding.js';
import type { Loaded } from './context.js';
import { StructuredFile, positionIn, type Position } from './parse.js';

export interface SizeLimit {
  bytes: number;
  /** What the limit is for, in messages. */
  files: string;
}

/** Anything larger is not a hand-written file. */
export const MAX_FILE_BYTES: SizeLimit = { bytes: 1024 * 1024, files: 'config, prompt, suite and schema files' };
export const MAX_DATASET_BYTES: SizeLimit = { bytes: 200 * 1024 * 1024, files: 'datasets' };

export type ReadResult = { text: string } | { finding: Finding } | { missing: true };
export type BytesResult = { bytes: Buffer } | { finding: Finding } | { missing: true };

/**
 * Reads a user file as UTF-8 text, refusing oversized, non-UTF-8 and empty files with a
 * finding located in that file. A missing file is left to the caller, which knows which key
 * named it.
 */
export function readText(src: FileSource, file: string, limit: SizeLimit): ReadResult {
  const read = readUtf8(src, file, limit);
  // The decoder drops a byte order mark, as editors do.
  return 'bytes' in read ? { text: new TextDecoder().decode(read.bytes) } : read;
}

/** readText's checks without decoding the text: a large dataset is read a line at a time. */
export function readUtf8(src: FileSource, file: string, limit: SizeLimit): BytesResult {
  let bytes: Buffer | undefined;
  try {
    bytes = src.readBytes(file);
  } catch (err) {
    // A directory, or a file the process may not read: not a file we can load.
    return {
      finding: invalid({ file }, `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); expected a regular file`),
    };
  }
  if (bytes === undefined) return { missing: true };
  if (bytes.length > limit.bytes) {
    const size = `${bytes.length} bytes, over the ${limit.bytes / (1024 * 1024)} MiB limit for ${limit.files}`;
    return { finding: invalid({ file }, `${file} is ${size}; make it smaller or split it`) };
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    return {
      finding: invalid(
        { file, line: at.line, column: at.column },
        `${file} is not valid UTF-8 (first bad byte at line ${at.line}); re-save it as UTF-8`,
      ),
    };
  }
  if (isBlank(bytes)) {
    return { finding: invalid({ file, line: 1, column: 1 }, `${file} is empty; expected ${describeContent(file)}`) };
  }
  return { bytes };
}

/** Whether UTF-8 `bytes` are only whitespace (what String.prototype.trim removes), without decoding them all. */
function isBlank(bytes: Buffer): boolean {
  for (let at = 0; at < bytes.length;) {
    const byte = bytes[at]!;
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) {
      at++;
      continue;
    }
    if (byte < 0x80) return false;
    // A byte order mark, a no-break space, an ideographic space...: one character decoded.
    const char = String.fromCodePoint(bytes.toString('utf8', at, at + 4).codePointAt(0)!);
    if (char.trim() !== '') return false;
    at += Buffer.byteLength(char);
  }
  return true;
}

function describeContent(file: string): string {
  if (file.endsWith('.jsonl')) return 'one JSON object per line';
  return file.endsWith('.json') ? 'a JSON document' : 'a YAML document';
}

/** Line and column of the first byte sequence that is not UTF-8 (only called once decoding failed). */
function firstInvalidUtf8(bytes: Buffer): Position {
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  for (let i = lenient.indexOf('\uFFFD'); i !== -1; i = lenient.indexOf('\uFFFD', i + 1)) {
    // A valid prefix re-encodes to the same bytes, so its length is the offset of the character.
    const offset = Buffer.byteLength(lenient.slice(0, i));
    const genuine = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (!genuine) return positionIn(lenient, i);
  }
  return { line: 1, column: 1 };
}

/** Reads and parses a YAML or JSON file (by extension). */
export function readStructured(src: FileSource, file: string, limit: SizeLimit): Loaded<StructuredFile> {
  const read = readText(src, file, limit);
  if ('missing' in read) return { findings: [], missing: true };
  if ('finding' in read) return { findings: [read.finding] };
  const { parsed, findings } = StructuredFile.parse(file, read.text);
  return { value: parsed, findings };
}

/** Whether a file exists (a directory or an unreadable path does not count). */
export function fileExists(src: FileSource, file: string): boolean {
  try {
    return src.readBytes(file) !== undefined;
  } catch {
    return false;
  }
}
