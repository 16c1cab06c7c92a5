#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-6PYOTW3E.js";

// src/engine/modes/shard.ts
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
function parseShard(text, what) {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(`${what} must be i/n with 1 <= i <= n (e.g. 2/3 for the second of three shards); got "${text}"`);
  }
  return { index, count };
}
function shardOf(prompt, caseId, count) {
  const digest = createHash("sha256").update(prompt).update("\0").update(caseId).digest();
  return digest.readUInt32BE(0) % count + 1;
}
function casesInShard(prompt, suite, shard) {
  return [...suite.cases].filter((c) => shardOf(prompt, c.id, shard.count) === shard.index);
}
async function readPartialReports(files, { searched, describe = (f) => f }) {
  if (!files.length) throw new UserError(`no partial report to merge: nothing matches ${searched}`);
  const reports = await Promise.all(
    files.map(async (file) => {
      let parsed;
      try {
        parsed = JSON.parse(await readFile(file, "utf8"));
      } catch (err) {
        throw new UserError(`${describe(file)} is not a readable JSON report (${err.message})`);
      }
      const report = parsed;
      const shard = report?.shard;
      if (report?.schema !== "promptgate/report@1" || !shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count) || typeof shard.samples !== "object") {
        throw new UserError(`${describe(file)} is not a partial report: only reports written with the input shard (i/n) can be merged`);
      }
      return { file: describe(file), report };
    })
  );
  const identity = (r) => `${r.mode} of head ${short(r.head.sha)} against base ${short(r.base.sha)}`;
  const identities = /* @__PURE__ */ new Map();
  for (const { file, report } of reports) identities.set(identity(report), [...identities.get(identity(report)) ?? [], file]);
  if (identities.size > 1) {
    throw new UserError(
      `partial reports come from different runs: ${[...identities].map(([id, fs]) => `${fs.join(", ")}: ${id}`).join("; ")}. Merge only the shards of one run (download the artifacts of this workflow run only).`
    );
  }
  const counts = new Set(reports.map((r) => r.report.shard.count));
  if (counts.size > 1) {
    throw new UserError(
      `partial reports were split differently: ${reports.map((r) => `${r.file} is shard ${r.report.shard.index}/${r.report.shard.count}`).join(", ")}`
    );
  }
  const count = [...counts][0];
  const byIndex = /* @__PURE__ */ new Map();
  for (const { file, report } of reports) byIndex.set(report.shard.index, [...byIndex.get(report.shard.index) ?? [], file]);
  const duplicates = [...byIndex].filter(([, fs]) => fs.length > 1);
  if (duplicates.length) {
    throw new UserError(
      `duplicate shard: ${duplicates.map(([i, fs]) => `shard ${i}/${count} is in ${fs.join(" and ")}`).join("; ")}. Keep one report per shard.`
    );
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) {
    throw new UserError(
      `missing shard: ${missing.map((i) => `${i}/${count}`).join(", ")} (found ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count} in ${byIndex.get(i)[0]}`).join(", ")}). Did a shard job fail or not upload its report?`
    );
  }
  return reports.map((r) => r.report).sort((a, b) => a.shard.index - b.shard.index);
}
function mergedSamples(partials, prompt, side, suite) {
  const byKey = /* @__PURE__ */ new Map();
  for (const partial of partials) {
    const held = partial.shard.samples[prompt]?.[side];
    if (!held) continue;
    if ("error" in held) throw new Error(held.error);
    for (const s of held.samples) byKey.set(`${s.sample}\0${s.caseId}`, s);
  }
  const samples = [];
  const missing = [];
  for (const c of suite.cases) {
    for (let sample = 0; sample < suite.repeat; sample++) {
      const found = byKey.get(`${sample}\0${c.id}`);
      if (found) samples.push(found);
      else if (!missing.includes(c.id)) missing.push(c.id);
    }
  }
  if (missing.length) {
    throw new UserError(
      `the partial reports hold no ${side} samples for ${missing.length} case(s) of ${prompt} (first: ${missing[0]}): the shards evaluated another version of its suite; rerun every shard on this commit`
    );
  }
  return samples;
}
function short(sha) {
  return sha ? sha.slice(0, 7) : "none";
}

export {
  parseShard,
  shardOf,
  casesInShard,
  readPartialReports,
  mergedSamples
};
