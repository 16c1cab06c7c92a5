// The JSON report file, streamed: at 50,000 cases it is over 20 MB, and building it as one
// string, then a buffer of that string, would set the run's peak memory at its very end.
import { stringifyChunked } from '@discoveryjs/json-ext';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Report } from '../types.js';

/**
 * Writes `report` as JSON.stringify would, then a newline: indented for people; compact for
 * a shard's partial report, read by the merge, not by people (a fraction of the size).
 */
export async function writeJsonReport(path: string, report: Report): Promise<void> {
  const chunks = function* () {
    yield* stringifyChunked(report, { space: report.shard ? null : 2, highWaterMark: 64 * 1024 });
    yield '\n';
  };
  await pipeline(Readable.from(chunks()), createWriteStream(path));
}
