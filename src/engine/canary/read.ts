// Streams event lines from files named by globs, plain or gzip-compressed, one line at a time:
// the events are never all in memory.
import { createReadStream } from 'node:fs';
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
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
    const lines = createInterface({ input, crlfDelay: Infinity });
    let lineNumber = 0;
    const consume = (async () => {
      for await (const line of lines) {
        lineNumber += 1;
        if (line.trim() === '') continue;
        summary.lines += 1;
        const parsed = parseEventLine(line);
        if ('malformed' in parsed) {
          summary.malformed += 1;
          if (summary.malformed_examples.length < EXAMPLES) summary.malformed_examples.push(`${name}:${lineNumber}: ${parsed.malformed}`);
          continue;
        }
        for (const event of parsed.events) {
          summary.events += 1;
          onEvent(event);
        }
      }
    })();
    failure.catch(() => undefined);
    try {
      await Promise.race([consume, failure]);
    } catch (err) {
      throw err instanceof UserError ? err : new UserError(`${name}: cannot read events (${(err as Error).message}).`);
    }
  }
  return summary;
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
