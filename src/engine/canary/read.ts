// Streams event lines from files named by globs, plain or gzip-compressed, one line at a time:
// the events are never all in memory.
import { createReadStream } from 'node:fs';
import { relative } from 'node:path';
import { createGunzip } from 'node:zlib';
import { glob } from 'tinyglobby';
import { UserError } from '../errors.js';
import { parseEventLine, type CanaryEvent } from './events.js';
import type { EventsSummary } from './types.js';

/** More malformed lines than this share of all lines (and at least MALFORMED_MIN_LINES) fail the check. */
export const MALFORMED_MAX_SHARE = 0.01;
export const MALFORMED_MIN_LINES = 10;
const EXAMPLES = 5;

/** The files the globs name (relative to `root`), sorted; an empty result is an error, never a silent hold. */
export async function resolveEventFiles(patterns: string[], root: string): Promise<string[]> {
  if (patterns.length === 0)
    throw new UserError('canary check needs events: pass --events GLOB (repeatable), e.g. --events "events/*.jsonl.gz".');
  const files = await glob(patterns, { cwd: root, absolute: true, onlyFiles: true, dot: true });
  if (files.length === 0) {
    throw new UserError(
      `No event file matches ${patterns.map((p) => `"${p}"`).join(', ')} (relative to ${root}). ` +
        'A check without events would hold forever without saying why: point --events at the files your sink or collector writes.',
    );
  }
  return files.sort();
}

/** Reads every line of every file in order, handing each event to `onEvent`. */
export async function readEvents(files: string[], root: string, onEvent: (event: CanaryEvent) => void): Promise<EventsSummary> {
  const summary: EventsSummary = {
    files: files.map((f) => relative(root, f) || f),
    lines: 0,
    events: 0,
    malformed: 0,
    malformed_examples: [],
  };
  for (const file of files) {
    const name = relative(root, file) || file;
    const raw = createReadStream(file);
    const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    // A corrupt gzip stream errors on the gunzip, not the file stream: surface both.
    const failure = new Promise<never>((_, reject) => {
      const fail = (err: Error) => reject(new UserError(`${name}: cannot read events (${err.message}).`));
      raw.on('error', fail);
      if (input !== raw) input.on('error', fail);
    });
    let lineNumber = 0;
    const onLine = (line: string): void => {
      lineNumber += 1;
      if (line.trim() === '') return;
      summary.lines += 1;
      const parsed = parseEventLine(line);
      if ('malformed' in parsed) {
        summary.malformed += 1;
        if (summary.malformed_examples.length < EXAMPLES) summary.malformed_examples.push(`${name}:${lineNumber}: ${parsed.malformed}`);
        return;
      }
      for (const event of parsed.events) {
        summary.events += 1;
        onEvent(event);
      }
    };
    const consume = splitLines(input.setEncoding('utf8'), onLine);
    failure.catch(() => undefined);
    try {
      await Promise.race([consume, failure]);
    } catch (err) {
      throw err instanceof UserError ? err : new UserError(`${name}: cannot read events (${(err as Error).message}).`);
    }
  }
  return summary;
}

const LINE_BREAK = /\r\n|\n|\r/g;

/**
 * Hands each line of `input` (a utf8 text stream) to `onLine`, synchronously per chunk. It
 * splits as readline does with crlfDelay: Infinity (\n, \r\n or a lone \r ends a line; a last
 * line without one still counts) but without readline's per-line events and promises, whose
 * garbage was most of the check's memory over a million lines.
 */
async function splitLines(input: AsyncIterable<string>, onLine: (line: string) => void): Promise<void> {
  let rest = '';
  for await (const chunk of input) {
    let start = 0;
    // A \r kept back from the last chunk ended a line, with or without a \n now.
    if (rest.endsWith('\r')) {
      onLine(rest.slice(0, -1));
      rest = '';
      if (chunk.startsWith('\n')) start = 1;
    }
    LINE_BREAK.lastIndex = start;
    for (let match = LINE_BREAK.exec(chunk); match !== null; match = LINE_BREAK.exec(chunk)) {
      // A \r that ends the chunk may be the first half of a \r\n split across chunks.
      if (match[0] === '\r' && match.index === chunk.length - 1) break;
      onLine(rest + chunk.slice(start, match.index));
      rest = '';
      start = LINE_BREAK.lastIndex;
    }
    rest += chunk.slice(start);
  }
  if (rest.endsWith('\r')) onLine(rest.slice(0, -1));
  else if (rest !== '') onLine(rest);
}

/** A UserError when malformed lines pass the threshold: the events are too broken to decide on. */
export function malformedProblem(summary: EventsSummary): UserError | null {
  const { malformed, lines } = summary;
  if (malformed < MALFORMED_MIN_LINES || malformed <= lines * MALFORMED_MAX_SHARE) return null;
  return new UserError(
    `${malformed} of ${lines} event lines are malformed (more than ${MALFORMED_MAX_SHARE * 100}%), so no decision is made. First ones:\n` +
      `${summary.malformed_examples.map((e) => `  ${e}`).join('\n')}\n` +
      'Each line must be a promptgate/event@1 record or an OTLP/JSON line of the OpenTelemetry Collector file exporter.',
  );
}
