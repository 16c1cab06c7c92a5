#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  previousTarget
} from "./chunk-U2MOCSZG.js";
import {
  archived,
  loadRegistry
} from "./chunk-SZQJWHUG.js";
import {
  ManifestEditor
} from "./chunk-B6SKWYIO.js";
import {
  labelVersion,
  writeFileAtomic
} from "./chunk-5VU3X7DI.js";
import "./chunk-OVNAAY32.js";
import "./chunk-6OL4Y65D.js";
import {
  UserError,
  formatLocation
} from "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";

// src/engine/registry/pointers.ts
import { readFile } from "node:fs/promises";
import { join } from "node:path";
function assertKnownVersion(registry, project, name, version) {
  const current = project.prompts.find((p) => p.name === name) ?? project.lintOnly.find((p) => p.name === name);
  const released = [...registry.archives.get(name)?.keys() ?? []];
  if (!current && !released.length) {
    const known = [.../* @__PURE__ */ new Set([...project.prompts.map((p) => p.name), ...registry.archives.keys()])].sort();
    throw new UserError(`No prompt named "${name}" and nothing of that name is released (known: ${known.join(", ") || "none"}).`);
  }
  if (archived(registry, name, version) || current?.version === version) return;
  const options = [...released.map((v) => `released: ${v}`), ...current ? [`current: ${current.version}`] : []].join(", ");
  throw new UserError(
    `${name} ${version} is neither released nor the prompt's current version (${options}); release it first or name one of those.`
  );
}
function loadValidRegistry(src, config) {
  const registry = loadRegistry(src, config);
  const broken = registry.findings.filter((f) => f.file === config.releases);
  if (broken.length) throw new UserError(broken.map((f) => `${formatLocation(f)}: ${f.message}`).join("\n"), broken[0]);
  return registry;
}
async function edit(root, config, change) {
  const path = join(root, config.releases);
  const text = await readFile(path, "utf8").catch((err) => {
    if (err.code === "ENOENT") return void 0;
    throw err;
  });
  const editor = ManifestEditor.open(text, config.releases);
  change(editor);
  await writeFileAtomic(path, editor.toString());
}
async function promote(root, src, project, target) {
  const { config } = project;
  const registry = loadValidRegistry(src, config);
  assertKnownVersion(registry, project, target.name, target.version);
  const manifest = registry.manifest.manifest;
  const from = target.segment ? manifest[target.name]?.segments?.[target.segment]?.[target.label] : manifest[target.name]?.labels[target.label];
  if (from !== target.version) await edit(root, config, (e) => e.setLabel(target.name, target.label, target.version, target.segment));
  return {
    name: target.name,
    label: target.label,
    ...target.segment && { segment: target.segment },
    ...from && { from },
    to: target.version,
    file: config.releases
  };
}
async function rollback(root, src, project, target) {
  const { config } = project;
  const registry = loadValidRegistry(src, config);
  const manifest = registry.manifest.manifest;
  const current = target.segment ? manifest[target.name]?.segments?.[target.segment]?.[target.label] : labelVersion(manifest, target.name, target.label);
  if (!current) {
    const where = target.segment ? `${target.name}.segments.${target.segment}.${target.label}` : `${target.name}.labels.${target.label}`;
    throw new UserError(`${config.releases} sets no ${where}: there is nothing to roll back; promote a version first.`);
  }
  const to = target.to ?? await previousTarget(root, config.releases, {
    name: target.name,
    label: target.label,
    ...target.segment && { segment: target.segment },
    current
  });
  assertKnownVersion(registry, project, target.name, to);
  const canary = manifest[target.name]?.canary;
  await edit(root, config, (e) => {
    e.setLabel(target.name, target.label, to, target.segment);
    e.removeCanary(target.name);
  });
  return {
    name: target.name,
    label: target.label,
    ...target.segment && { segment: target.segment },
    from: current,
    to,
    ...canary && { canaryRemoved: canary.version },
    file: config.releases
  };
}
export {
  promote,
  rollback
};
