// Sharding (SPEC 14): a run split over n jobs of an Actions matrix. A shard evaluates the work
// units (prompt, case) whose stable hash falls in it and writes a partial report carrying its
// samples; a merge reads the n partial reports and replays the same plan on their samples, so
// the one report, verdict and statistics are the ones an unsharded run would have produced.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { Case, Report, Sample, Shard, ShardData, Side, Suite } from '../types.js';

export type { Shard, ShardData, Side };

/** A report written by `shard: i/n`. */
export type PartialReport = Report & { shard: ShardData };

/** Reads `i/n` (1 <= i <= n); `what` names the input or flag in the message. */
export function parseShard(text: string, what: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(`${what} must be i/n with 1 <= i <= n (e.g. 2/3 for the second of three shards); got "${text}"`);
  }
  return { index, count };
}

/**
 * The shard (1-based) a case of a prompt belongs to. Keyed by prompt name and case id only,
 * so the base and head samples of a case land together and a shard's units do not move when
 * other cases are added.
 */
export function shardOf(prompt: string, caseId: string, count: number): number {
  const digest = createHash('sha256').update(prompt).update('\0').update(caseId).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The cases of a suite that a shard evaluates. */
export function casesInShard(prompt: string, suite: Suite, shard: Shard): Case[] {
  return [...suite.cases].filter((c) => shardOf(prompt, c.id, shard.count) === shard.index);
}

/**
 * Reads partial reports and checks they make one whole run: every file a partial report,
 * all from the same commits and mode, shards 1..n of the same n each exactly once.
 * Each refusal names the files concerned.
 */
export async function readPartialReports(
  files: string[],
  { searched, describe = (f) => f }: { searched: string; describe?: (file: string) => string },
): Promise<PartialReport[]> {
  if (!files.length) throw new UserError(`no partial report to merge: nothing matches ${searched}`);
  const reports = await Promise.all(
    files.map(async (file) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        throw new UserError(`${describe(file)} is not a readable JSON report (${(err as Error).message})`);
      }
      const report = parsed as Partial<PartialReport> | null;
      const shard = report?.shard;
      if (
        report?.schema !== 'promptgate/report@1' ||
        !shard ||
        !Number.isInteger(shard.index) ||
        !Number.isInteger(shard.count) ||
        typeof shard.samples !== 'object'
      ) {
        throw new UserError(`${describe(file)} is not a partial report: only reports written with the input shard (i/n) can be merged`);
      }
      return { file: describe(file), report: report as PartialReport };
    }),
  );

  const identity = (r: PartialReport) => `${r.mode} of head ${short(r.head.sha)} against base ${short(r.base.sha)}`;
  const identities = new Map<string, string[]>();
  for (const { file, report } of reports) identities.set(identity(report), [...(identities.get(identity(report)) ?? []), file]);
  if (identities.size > 1) {
    throw new UserError(
      `partial reports come from different runs: ${[...identities].map(([id, fs]) => `${fs.join(', ')}: ${id}`).join('; ')}. ` +
        'Merge only the shards of one run (download the artifacts of this workflow run only).',
    );
  }

  const counts = new Set(reports.map((r) => r.report.shard.count));
  if (counts.size > 1) {
    throw new UserError(
      `partial reports were split differently: ${reports.map((r) => `${r.file} is shard ${r.report.shard.index}/${r.report.shard.count}`).join(', ')}`,
    );
  }
  const count = [...counts][0]!;
  const byIndex = new Map<number, string[]>();
  for (const { file, report } of reports) byIndex.set(report.shard.index, [...(byIndex.get(report.shard.index) ?? []), file]);
  const duplicates = [...byIndex].filter(([, fs]) => fs.length > 1);
  if (duplicates.length) {
    throw new UserError(
      `duplicate shard: ${duplicates.map(([i, fs]) => `shard ${i}/${count} is in ${fs.join(' and ')}`).join('; ')}. Keep one report per shard.`,
    );
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) {
    throw new UserError(
      `missing shard: ${missing.map((i) => `${i}/${count}`).join(', ')} (found ${[...byIndex.keys()]
        .sort((a, b) => a - b)
        .map((i) => `${i}/${count} in ${byIndex.get(i)![0]}`)
        .join(', ')}). Did a shard job fail or not upload its report?`,
    );
  }
  return reports.map((r) => r.report).sort((a, b) => a.shard.index - b.shard.index);
}

/**
 * The samples of one prompt side gathered from every shard, in the order an unsharded run
 * evaluates them (cases as the suite lists them, repeats in order). Throws the shard's own
 * error when a shard could not evaluate that side, and names the gap when a case is missing.
 */
export function mergedSamples(partials: PartialReport[], prompt: string, side: Side, suite: Suite): Sample[] {
  const byKey = new Map<string, Sample>();
  for (const partial of partials) {
    const held = partial.shard.samples[prompt]?.[side];
    if (!held) continue;
    if ('error' in held) throw new Error(held.error);
    for (const s of held.samples) byKey.set(`${s.sample}\0${s.caseId}`, s);
  }
  const samples: Sample[] = [];
  const missing: string[] = [];
  for (const c of suite.cases) {
    for (let sample = 0; sample < suite.repeat; sample++) {
      const found = byKey.get(`${sample}\0${c.id}`);
      if (found) samples.push(found);
      else if (!missing.includes(c.id)) missing.push(c.id);
    }
  }
  if (missing.length) {
    throw new UserError(
      `the partial reports hold no ${side} samples for ${missing.length} case(s) of ${prompt} (first: ${missing[0]}): ` +
        'the shards evaluated another version of its suite; rerun every shard on this commit',
    );
  }
  return samples;
}

function short(sha: string | null): string {
  return sha ? sha.slice(0, 7) : 'none';
}
