#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  ManifestEditor
} from "./chunk-B6SKWYIO.js";
import {
  canarySettings,
  checkCanaries,
  resolveEventFiles
} from "./chunk-LVJR6LY5.js";
import "./chunk-K65MBIX3.js";
import {
  WorkTree,
  loadProject
} from "./chunk-KTLWAHZQ.js";
import {
  archivePath,
  loadManifest,
  parseDuration,
  readArchive,
  writeFileAtomic
} from "./chunk-5VU3X7DI.js";
import "./chunk-OVNAAY32.js";
import "./chunk-POSGZES7.js";
import "./chunk-6OL4Y65D.js";
import "./chunk-KWMG6SEG.js";
import {
  UserError,
  formatLocation
} from "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";

// src/engine/modes/canary.ts
import { readFile } from "node:fs/promises";
import { join } from "node:path";
var DEFAULT_STEPS = [5, 25, 50, 100];
async function loadReleases(root, configPath) {
  const src = new WorkTree(root);
  const { config, findings, prompts } = loadProject(src, { configPath, datasetCases: false });
  failOn(findings.filter((f) => f.file === config.file && f.severity === "error"));
  const { value, findings: manifestFindings } = loadManifest(src, config.releases);
  failOn(manifestFindings);
  return { root, src, config, current: new Set(prompts.map((p) => `${p.name}@${p.version}`)), loaded: value };
}
function failOn(findings) {
  if (findings.length > 0) throw new UserError(findings.map((f) => `${formatLocation(f)}: ${f.message}`).join("\n"), findings[0]);
}
function versionExists(r, name, version) {
  return r.current.has(`${name}@${version}`) || r.src.read(archivePath(r.config, name, version)) !== void 0;
}
function located(r, path, message) {
  const { line, column } = r.loaded.position(path);
  return new UserError(`${r.loaded.file}:${line}:${column}: ${message}`, { file: r.loaded.file, line, column });
}
function activeCanaries(r) {
  const rollouts = [];
  for (const [name, releases] of Object.entries(r.loaded.manifest)) {
    const settings = canarySettings(name, releases);
    if (!settings) continue;
    for (const [path, version] of [
      [[name, "canary", "version"], settings.version],
      [[name, "labels", "production"], settings.controlVersion]
    ]) {
      if (!versionExists(r, name, version)) {
        throw located(
          r,
          [...path],
          `${name} ${version} is neither archived (${archivePath(r.config, name, version)}) nor the current version of the prompt, so its canary cannot be checked. Release it (promptgate release) or fix the version.`
        );
      }
    }
    rollouts.push(settings);
  }
  return rollouts;
}
async function runCanaryCheck(o) {
  const now = o.now ?? Date.now();
  const r = await loadReleases(o.root, o.configPath);
  const rollouts = activeCanaries(r);
  if (rollouts.length === 0) {
    return {
      schema: "promptgate/canary@1",
      generated_at: new Date(now).toISOString(),
      result: "pass",
      applied: false,
      events: { files: [], lines: 0, events: 0, malformed: 0, malformed_examples: [] },
      prompts: []
    };
  }
  const files = await resolveEventFiles(o.events, o.root);
  const report = await checkCanaries({ rollouts, files, root: o.root, now });
  if (o.apply) report.applied = await applyDecisions(r, report.prompts, now);
  return report;
}
async function applyDecisions(r, decisions, now) {
  const changing = decisions.filter((d) => d.decision !== "hold");
  if (changing.length === 0) return false;
  await editManifest(r, (editor) => {
    for (const d of changing) {
      if (d.decision === "advance") editor.setCanary(d.prompt, { step: d.step + 1, started_at: new Date(now).toISOString() });
      else {
        if (d.decision === "promote") editor.setLabel(d.prompt, "production", d.arms.canary.version);
        editor.removeCanary(d.prompt);
      }
    }
  });
  return true;
}
async function editManifest(r, edit) {
  const path = join(r.root, r.config.releases);
  const text = await readFile(path, "utf8").catch(() => void 0);
  const editor = ManifestEditor.open(text, r.config.releases);
  edit(editor);
  await writeFileAtomic(path, editor.toString());
}
async function startCanary(o) {
  const r = await loadReleases(o.root, o.configPath);
  const releases = r.loaded.manifest[o.name];
  const production = releases?.labels["production"];
  const file = r.loaded.file;
  if (!production)
    throw new UserError(
      `${o.name} has no labels.production in ${file}: a canary runs against production, so promote a version first (promptgate promote ${o.name} VERSION).`
    );
  if (releases.canary)
    throw new UserError(
      `${o.name} already has a canary of ${releases.canary.version} in ${file}; abort it first (promptgate canary abort ${o.name}).`
    );
  if (o.version === production) throw new UserError(`${o.name} ${o.version} is already production; a canary needs another version.`);
  const steps = o.steps ?? DEFAULT_STEPS;
  if (!(steps.length >= 2 && steps.every((s, i) => s > 0 && s <= 100 && (i === 0 || s > steps[i - 1])) && steps.at(-1) === 100)) {
    throw new UserError(`--steps must be ascending percentages of traffic ending with 100, e.g. 5,25,50,100; got ${steps.join(",")}.`);
  }
  if (o.minDuration !== void 0 && parseDuration(o.minDuration) === void 0)
    throw new UserError(`--min-duration takes a number and a unit (s, m, h or d), e.g. 24h; got "${o.minDuration}".`);
  const refusal = promotionGate(r, o.name, production, o.version);
  if (refusal) return { refused: refusal };
  const spec = {
    version: o.version,
    steps,
    step: 0,
    started_at: new Date(o.now ?? Date.now()).toISOString(),
    ...o.minSamples !== void 0 && { min_samples: o.minSamples },
    ...o.minDuration !== void 0 && { min_duration: o.minDuration }
  };
  await editManifest(r, (editor) => editor.setCanary(o.name, spec));
  return {
    done: `Started the canary of ${o.name} ${o.version} against production ${production} at ${steps[0]}% (steps ${steps.join(", ")}) in ${file}. Publish the bundle so applications see it.`
  };
}
function promotionGate(r, name, production, version) {
  const target = readArchive(r.src, archivePath(r.config, name, version));
  if (!target.value) {
    const why = target.missing ? "is not released" : `has a broken archive (${target.findings.map((f) => f.message).join("; ")})`;
    return `${name} ${version} ${why}: only a released version, evaluated by the gate, may start a canary. Release it first (promptgate release, or the action's mode: release), then start the canary.`;
  }
  const base = readArchive(r.src, archivePath(r.config, name, production));
  if (!base.value)
    return `production ${name} ${production} has no readable archive, so ${version} cannot be compared with it. Release ${production} first.`;
  return compareEvals(name, base.value, target.value, r.config);
}
var REPORTED_ONLY = /^(latency_p\d+_ms|cost_usd|input_tokens|output_tokens)$/;
function compareEvals(name, base, target, config) {
  if (base.eval.suite_hash !== target.eval.suite_hash) {
    return `${name} ${target.version} was evaluated on a different suite (suite_hash ${target.eval.suite_hash.slice(0, 12)}) than production ${base.version} (${base.eval.suite_hash.slice(0, 12)}), so the archives prove nothing about the change. Evaluate both on one suite (promptgate eval) and release again.`;
  }
  const worse = [];
  for (const [metric, b] of Object.entries(base.eval.metrics)) {
    const t = target.eval.metrics[metric];
    if (!t || REPORTED_ONLY.test(metric)) continue;
    if (metric === "error_rate") {
      if (t.mean > Math.max(b.mean, config.gate.max_error_rate ?? 0)) worse.push(`error_rate ${b.mean} -> ${t.mean}`);
    } else if (b.mean - t.mean > (config.gate.max_drop ?? 0)) worse.push(`${metric} ${b.mean} -> ${t.mean}`);
  }
  if (worse.length === 0) return null;
  return `${name} ${target.version} scored worse than production ${base.version} at release (${worse.join(", ")}), so it has not passed the promotion gate. Fix the prompt and release a new version.`;
}
async function abortCanary(o) {
  const r = await loadReleases(o.root, o.configPath);
  const canary = r.loaded.manifest[o.name]?.canary;
  if (!canary) throw new UserError(`${o.name} has no active canary in ${r.loaded.file}; nothing to abort.`);
  await editManifest(r, (editor) => editor.removeCanary(o.name));
  return `Aborted the canary of ${o.name} ${canary.version}; production stays ${r.loaded.manifest[o.name].labels["production"]}. Publish the bundle so applications see it.`;
}
export {
  DEFAULT_STEPS,
  abortCanary,
  runCanaryCheck,
  startCanary
};
