// The JSON report file, streamed: at 50,000 cases it is over 20 MB, and building it as one
// string, then a buffer of that string, would set the run's peak memory at its very end.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LazyList } from '../lazy-list.js';
import type { Report } from '../types.js';

/**
 * Writes `report` as JSON.stringify would, then a newline: indented for people; compact for
 * a shard's partial report, read by the merge, not by people (a fraction of the size).
 */
export async function writeJsonReport(path: string, report: Report): Promise<void> {
  await pipeline(Readable.from(batched(jsonText(report, report.shard ? '' : '  '))), createWriteStream(path));
}

/** The report, its prompts and their details are written part by part; a case's detail is one JSON.stringify. */
const SPLIT_DEPTH = 4;

/**
 * JSON.stringify(value, null, space), in pieces: containers above SPLIT_DEPTH part by part,
 * the rest with one JSON.stringify each. The garbage is about the size of the text (json-ext's
 * stringifyChunked, used before, made eight times it: ~200 MB for a 50,000-case report).
 */
function* jsonText(value: unknown, space: string, indent = '', depth = 0): Generator<string> {
  // A LazyList is written item by item, as made: its toJSON would make them all at once.
  const list = Array.isArray(value) || value instanceof LazyList;
  if (depth >= SPLIT_DEPTH || value === null || typeof value !== 'object' || (!list && hasToJson(value))) {
    const text = JSON.stringify(value, null, space);
    // A JSON text has no raw newline inside a string, so every newline is indentation.
    yield space && depth > 0 ? text.replaceAll('\n', `\n${indent}`) : text;
    return;
  }
  const entries: Iterable<[string, unknown]> = list
    ? listEntries(value as Iterable<unknown>)
    : Object.entries(value).filter(([, item]) => isJson(item));
  const [open, close] = list ? ['[', ']'] : ['{', '}'];
  const inner = indent + space;
  const newline = space ? `\n${inner}` : '';
  let written = 0;
  for (const [key, item] of entries) {
    yield `${written++ > 0 ? ',' : open}${newline}${list ? '' : `${JSON.stringify(key)}:${space ? ' ' : ''}`}`;
    yield* jsonText(item, space, inner, depth + 1);
  }
  yield written ? `${space ? `\n${indent}` : ''}${close}` : open + close;
}

/** An array's items as JSON.stringify writes them: what it leaves out of an object is null in an array. */
function* listEntries(items: Iterable<unknown>): Generator<[string, unknown]> {
  for (const item of items) yield ['', isJson(item) ? item : null];
}

/** What JSON.stringify writes in an object (undefined, functions and symbols are left out; in an array they are null). */
function isJson(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** Pieces joined into chunks of ~64 KB, then a newline: one stream write per chunk, not per piece. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n`;
}
