// An append-only JSON Lines writer for `onEvent` (SPEC 12.3). Each event is one
// synchronous write of one whole line to a file opened for appending, so lines from
// concurrent calls never interleave and nothing is left buffered when the process exits.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PromptEvent } from './telemetry.js';

export interface JsonlSink {
  (event: PromptEvent): void;
  /** Closes the file; later events reopen it. Also done on process exit. */
  close(): void;
}

export function jsonlSink(path: string): JsonlSink {
  const file = resolve(path);
  let fd: number | undefined;
  const close = () => {
    if (fd === undefined) return;
    closeSync(fd);
    fd = undefined;
  };
  const sink = (event: PromptEvent) => {
    if (fd === undefined) {
      mkdirSync(dirname(file), { recursive: true });
      fd = openSync(file, 'a');
    }
    writeSync(fd, `${JSON.stringify(event)}\n`);
  };
  process.once('exit', close);
  return Object.assign(sink, { close });
}
