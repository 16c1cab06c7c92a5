#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  baselinePath,
  costOf,
  readBaseline
} from "./chunk-ZXR3WRZC.js";
import {
  CallIdSet,
  CanaryCheck,
  FeedbackStore,
  Histogram,
  canarySettings,
  readEvents,
  resolveEventFiles,
  upperEdge
} from "./chunk-LVJR6LY5.js";
import "./chunk-K65MBIX3.js";
import {
  GitTree,
  WorkTree,
  loadProject
} from "./chunk-KTLWAHZQ.js";
import {
  listArchives,
  loadManifest,
  readArchive
} from "./chunk-5VU3X7DI.js";
import "./chunk-OVNAAY32.js";
import "./chunk-DT6VQ6HQ.js";
import "./chunk-POSGZES7.js";
import "./chunk-6OL4Y65D.js";
import {
  fileHistory
} from "./chunk-KWMG6SEG.js";
import {
  UserError,
  formatLocation
} from "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";

// src/engine/dashboard/releases.ts
async function loadReleaseHistory(root, configPath) {
  const src = new WorkTree(root);
  const project = loadProject(src, { configPath, datasetCases: false });
  const { config } = project;
  const problems = [];
  const report = (findings) => problems.push(...findings.map((f) => `${formatLocation(f)}: ${f.message}`));
  report(project.findings.filter((f) => f.severity === "error"));
  const loaded = loadManifest(src, config.releases);
  report(loaded.findings);
  const manifest = loaded.value?.manifest ?? {};
  const byPrompt = /* @__PURE__ */ new Map();
  const versionsOf = (name) => byPrompt.get(name) ?? byPrompt.set(name, /* @__PURE__ */ new Map()).get(name);
  for (const { path } of listArchives(src, config)) {
    const { value, findings } = readArchive(src, path);
    report(findings);
    if (!value) continue;
    versionsOf(value.name).set(value.version, {
      version: value.version,
      released_at: value.released_at,
      source: "archive",
      labels: [],
      model: value.model.name,
      eval: value.eval.metrics,
      ...value.source.url ? { url: value.source.url } : {}
    });
  }
  for (const prompt of [...project.prompts, ...project.lintOnly]) {
    const versions = versionsOf(prompt.name);
    if (versions.size === 0) for (const release of await baselineHistory(root, config, prompt.name)) versions.set(release.version, release);
    if (!versions.has(prompt.version)) {
      versions.set(prompt.version, {
        version: prompt.version,
        released_at: null,
        source: "prompt file",
        labels: [],
        model: prompt.model.name,
        eval: {}
      });
    }
  }
  for (const [name, releases] of Object.entries(manifest)) {
    const versions = versionsOf(name);
    const point = (label, version) => {
      const release = versions.get(version) ?? {
        version,
        released_at: null,
        source: "archive",
        labels: [],
        model: null,
        eval: {}
      };
      release.labels.push(label);
      versions.set(version, release);
    };
    for (const [label, version] of Object.entries(releases.labels)) point(label, version);
    for (const [segment, labels] of Object.entries(releases.segments ?? {}))
      for (const [label, version] of Object.entries(labels)) point(`${segment}/${label}`, version);
  }
  const prompts = [...byPrompt].map(([name, versions]) => ({
    name,
    versions: [...versions.values()].sort(byReleaseTime),
    ...manifest[name]?.canary ? { canary: manifest[name].canary } : {}
  }));
  prompts.sort((a, b) => a.name.localeCompare(b.name));
  return { config, prompts, manifest, problems };
}
function byReleaseTime(a, b) {
  if (a.released_at === null || b.released_at === null) return (a.released_at === null ? 1 : 0) - (b.released_at === null ? 1 : 0);
  return a.released_at.localeCompare(b.released_at);
}
async function baselineHistory(root, config, name) {
  const path = baselinePath(config.baselines, name);
  const sources = [new WorkTree(root), ...(await fileHistory(root, path)).map((sha) => new GitTree(root, sha))];
  const releases = /* @__PURE__ */ new Map();
  for (const src of sources) {
    const stored = readBaseline(src, config.baselines, name);
    if (!("baseline" in stored)) continue;
    const b = stored.baseline;
    releases.set(b.version, {
      version: b.version,
      released_at: b.created_at,
      source: "baseline",
      labels: [],
      model: b.model,
      eval: b.metrics
    });
  }
  return [...releases.values()];
}

// src/engine/dashboard/usage.ts
var DAY_MS = 864e5;
var UsageAggregate = class {
  constructor(costOf2) {
    this.costOf = costOf2;
  }
  costOf;
  /** `prompt \0 version` -> day number -> totals. */
  totals = /* @__PURE__ */ new Map();
  feedback = new FeedbackStore();
  counted = new CallIdSet();
  /** Feedback joined to its call; and left out: no call with its call_id in the events, or the call errored. */
  feedbackCounts = { joined: 0, unmatched: 0 };
  /** Deliveries of a call already counted. */
  duplicateCalls = 0;
  /** Feedback waits for its call: the events must be read a second time through `join`. */
  get pendingFeedback() {
    return this.feedback.size;
  }
  /** Pass 1: a call counts once, on its version and the day it ended; feedback is kept (latest per call id). */
  add(event) {
    if (event.type === "feedback") {
      this.feedback.keep(event.callId, event.ts, event.metrics);
      return;
    }
    if (event.callId !== null && !this.counted.add(event.callId)) {
      this.duplicateCalls++;
      return;
    }
    const day = this.dayOf(event);
    day.calls++;
    if (event.latencyMs !== null) day.latency.add(event.latencyMs);
    const input = event.inputTokens ?? 0;
    const output = event.outputTokens ?? 0;
    day.inputTokens += input;
    day.outputTokens += output;
    day.costUsd += this.costOf(event.prompt, event.version, input, output);
    if (event.error) {
      day.errors++;
      return;
    }
    for (const [name, value] of Object.entries(event.metrics)) {
      const m = metricSums(day, name);
      m.sum += value;
      m.n++;
    }
  }
  /**
   * Pass 2: a call's latest feedback counts on the call's version and day, replacing a value
   * the call recorded for the same metric. Taken at the call's first delivery, so a duplicate
   * delivery gets none.
   */
  join(event) {
    if (event.type !== "call" || event.callId === null || this.feedback.size === 0) return;
    const kept = this.feedback.take(event.callId);
    if (kept === void 0) return;
    if (event.error) {
      this.feedbackCounts.unmatched++;
      return;
    }
    this.feedbackCounts.joined++;
    const day = this.dayOf(event);
    for (const [name, value] of Object.entries(kept)) {
      const m = metricSums(day, name);
      const recorded = event.metrics[name];
      if (recorded === void 0) m.n++;
      else m.sum -= recorded;
      m.sum += value;
    }
  }
  /** The days of every (prompt, version) seen, oldest first. Feedback still waiting had no call. */
  result() {
    this.feedbackCounts.unmatched += this.feedback.size;
    this.feedback.clear();
    const byPrompt = /* @__PURE__ */ new Map();
    for (const [key, days] of this.totals) {
      const [prompt, version] = key.split("\0");
      let versions = byPrompt.get(prompt);
      if (!versions) byPrompt.set(prompt, versions = /* @__PURE__ */ new Map());
      versions.set(
        version,
        [...days].sort(([a], [b]) => a - b).map(([day, t]) => dayUsage(day, t))
      );
    }
    return byPrompt;
  }
  dayOf({ prompt, version, ts }) {
    const key = `${prompt}\0${version}`;
    let days = this.totals.get(key);
    if (!days) this.totals.set(key, days = /* @__PURE__ */ new Map());
    const day = Math.floor(ts / DAY_MS);
    let totals = days.get(day);
    if (!totals) {
      totals = { calls: 0, errors: 0, latency: new Histogram(), inputTokens: 0, outputTokens: 0, costUsd: 0, metrics: /* @__PURE__ */ new Map() };
      days.set(day, totals);
    }
    return totals;
  }
};
function metricSums(day, name) {
  let m = day.metrics.get(name);
  if (!m) day.metrics.set(name, m = { sum: 0, n: 0 });
  return m;
}
function dayUsage(day, t) {
  const quantile = (q) => {
    const bucket = t.latency.quantileBucket(q);
    return bucket === null ? null : Math.round(upperEdge(bucket));
  };
  return {
    day: new Date(day * DAY_MS).toISOString().slice(0, 10),
    calls: t.calls,
    errors: t.errors,
    latency_p50_ms: quantile(0.5),
    latency_p95_ms: quantile(0.95),
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cost_usd: t.costUsd,
    metrics: Object.fromEntries(
      [...t.metrics].sort(([a], [b]) => a.localeCompare(b)).map(([name, m]) => [name, { mean: m.sum / m.n, n: m.n }])
    )
  };
}

// src/engine/dashboard/build.ts
async function buildDashboard({ root, configPath, events: patterns, now = /* @__PURE__ */ new Date() }) {
  const history = await loadReleaseHistory(root, configPath);
  const modelOf = new Map(history.prompts.flatMap((p) => p.versions.map((v) => [`${p.name}@${v.version}`, v.model])));
  const latestModel = new Map(history.prompts.map((p) => [p.name, p.versions.findLast((v) => v.model)?.model ?? null]));
  const usage = new UsageAggregate((prompt, version, input, output) => {
    const model = modelOf.get(`${prompt}@${version}`) ?? latestModel.get(prompt);
    return model ? costOf(model, input, output, history.config.pricing) : 0;
  });
  const rollouts = Object.entries(history.manifest).flatMap(([name, releases]) => canarySettings(name, releases) ?? []);
  const check = new CanaryCheck(rollouts, now.getTime());
  let summary = null;
  const decisions = /* @__PURE__ */ new Map();
  if (patterns.length > 0) {
    const files = await resolveEventFiles(patterns, root);
    summary = await readEvents(files, root, (event) => {
      usage.add(event);
      check.add(event);
    });
    if (usage.pendingFeedback > 0 || check.needsJoin) {
      await readEvents(files, root, (event) => {
        usage.join(event);
        check.join(event);
      });
    }
    try {
      for (const report of check.report(summary).prompts) decisions.set(report.prompt, { report });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      for (const r of rollouts) decisions.set(r.prompt, { undecided: err.message });
    }
  } else for (const r of rollouts) decisions.set(r.prompt, { undecided: "no events given (--events GLOB), so no decision" });
  const problems = [...history.problems, ...summary?.malformed_examples.map((e) => `malformed event line ${e}`) ?? []];
  const byPrompt = usage.result();
  const prompts = history.prompts.map((p) => {
    const seen = byPrompt.get(p.name) ?? /* @__PURE__ */ new Map();
    const unknown = [...seen.keys()].filter((version) => !p.versions.some((v) => v.version === version));
    const versions = [...p.versions, ...unknown.map((version) => eventsOnly(version))];
    const canaryCheck = decisions.get(p.name);
    return { ...p, versions, usage: Object.fromEntries(seen), ...canaryCheck && { canaryCheck } };
  });
  for (const [name, versions] of byPrompt) {
    if (history.prompts.some((p) => p.name === name)) continue;
    prompts.push({ name, versions: [...versions.keys()].map(eventsOnly), usage: Object.fromEntries(versions) });
  }
  const feedback = summary ? usage.feedbackCounts : null;
  const duplicates = summary ? usage.duplicateCalls : null;
  return { generated_at: now.toISOString(), prompts, events: summary, feedback, duplicate_calls: duplicates, problems };
}
function eventsOnly(version) {
  return { version, released_at: null, source: "events only", labels: [], model: null, eval: {} };
}
export {
  buildDashboard
};
