#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  listArchives,
  loadManifest,
  readArchive,
  require_semver
} from "./chunk-5VU3X7DI.js";
import {
  __toESM
} from "./chunk-I573FD7B.js";

// src/engine/registry/registry.ts
var import_semver = __toESM(require_semver(), 1);
function loadRegistry(src, config) {
  const loaded = loadManifest(src, config.releases);
  const findings = [...loaded.findings];
  const archives = /* @__PURE__ */ new Map();
  const listed = listArchives(src, config);
  for (const { name, version, path } of listed) {
    const read = readArchive(src, path);
    findings.push(...read.findings);
    if (!read.value) continue;
    if (!archives.has(name)) archives.set(name, /* @__PURE__ */ new Map());
    archives.get(name).set(version, { path, archive: read.value });
  }
  return { ...loaded.value && { manifest: loaded.value }, archives, archivePaths: listed.map((a) => a.path), findings };
}
function archived(registry, name, version) {
  return registry.archives.get(name)?.get(version);
}
function pointers(manifest) {
  return Object.entries(manifest).flatMap(([name, r]) => [
    ...Object.entries(r.labels).map(([label, version]) => ({
      name,
      label,
      kind: "label",
      version,
      path: [name, "labels", label]
    })),
    ...Object.entries(r.segments ?? {}).flatMap(
      ([segment, labels]) => Object.entries(labels).map(([label, version]) => ({
        name,
        label,
        segment,
        kind: "label",
        version,
        path: [name, "segments", segment, label]
      }))
    ),
    ...r.canary ? [{ name, label: "canary", kind: "canary", version: r.canary.version, path: [name, "canary", "version"] }] : []
  ]);
}
function productionMoves(base, head, registry) {
  const before = new Map(pointers(base).map((p) => [key(p), p.version]));
  const moves = [];
  for (const p of pointers(head)) {
    if (p.kind === "label" && p.label !== "production") continue;
    const from = before.get(key(p));
    if (from === p.version) continue;
    const current = p.kind === "canary" ? head[p.name]?.labels.production ?? from : from;
    moves.push({
      name: p.name,
      ...p.segment && { segment: p.segment },
      kind: p.kind,
      ...current && { from: current },
      to: p.version,
      rollback: p.kind === "label" && from !== void 0 && releasedBefore(registry, p.name, p.version, from),
      path: p.path
    });
  }
  return moves;
}
function key(p) {
  return JSON.stringify([p.name, p.kind, p.segment ?? null, p.label]);
}
function releasedBefore(registry, name, version, than) {
  const a = archived(registry, name, version)?.archive.released_at;
  const b = archived(registry, name, than)?.archive.released_at;
  if (a && b && a !== b) return a < b;
  return import_semver.default.valid(version) !== null && import_semver.default.valid(than) !== null && import_semver.default.lt(version, than);
}

export {
  loadRegistry,
  archived,
  pointers,
  productionMoves
};
