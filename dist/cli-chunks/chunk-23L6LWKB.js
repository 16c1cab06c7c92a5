#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  archived,
  loadRegistry
} from "./chunk-SZQJWHUG.js";
import {
  canarySalt,
  writeFileAtomic
} from "./chunk-5VU3X7DI.js";
import {
  sha256
} from "./chunk-OVNAAY32.js";
import {
  UserError,
  formatLocation
} from "./chunk-6PYOTW3E.js";

// src/engine/registry/publish.ts
import { existsSync, statSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
var PUBLISHED_MANIFEST_SCHEMA = "promptgate/manifest@1";
async function publish(src, config, opts) {
  const registry = loadRegistry(src, config);
  const problems = [...registry.findings];
  const files = /* @__PURE__ */ new Map();
  const resolve = (name, version, where) => {
    const entry = archived(registry, name, version);
    if (!entry) {
      const manifest2 = registry.manifest;
      problems.push({
        rule: "release-version-missing",
        severity: "error",
        file: manifest2.file,
        ...manifest2.position(where.split(".")),
        message: `${where} names ${name} ${version}, which is not released; run promptgate release (and commit the archive) before publishing`
      });
      return void 0;
    }
    const bytes = src.readBytes(entry.path);
    const hash = sha256(bytes);
    files.set(hash, bytes);
    return { version, sha256: hash };
  };
  const prompts = registry.manifest ? publishedPrompts(registry, resolve) : {};
  if (problems.length) {
    throw new UserError(`Nothing published: ${problems.map((f) => `${formatLocation(f)}: ${f.message}`).join("\n")}`, problems[0]);
  }
  const taken = [opts.outDir, join(opts.outDir, "artifacts")].find((path) => existsSync(path) && !statSync(path).isDirectory());
  if (taken) throw new UserError(`Nothing published: ${taken} is a file; publish writes a directory there. Choose another directory.`);
  await mkdir(join(opts.outDir, "artifacts"), { recursive: true });
  const present = new Set(await readdir(join(opts.outDir, "artifacts")));
  const artifacts = [];
  for (const [hash, bytes] of [...files].sort(([a], [b]) => a < b ? -1 : 1)) {
    const file = `${hash}.json`;
    if (!present.has(file)) await writeFileAtomic(join(opts.outDir, "artifacts", file), bytes);
    artifacts.push(`artifacts/${file}`);
  }
  const manifest = {
    schema: PUBLISHED_MANIFEST_SCHEMA,
    generated_at: (opts.now ?? /* @__PURE__ */ new Date()).toISOString(),
    commit: opts.commit,
    prompts
  };
  await writeFileAtomic(join(opts.outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}
`);
  return { manifest, artifacts };
}
function publishedPrompts(registry, resolve) {
  const labels = (name, map, at) => Object.fromEntries(Object.entries(map).map(([label, version]) => [label, resolve(name, version, `${at}.${label}`)]));
  return Object.fromEntries(
    Object.entries(registry.manifest.manifest).map(([name, r]) => [
      name,
      {
        labels: labels(name, r.labels, `${name}.labels`),
        segments: Object.fromEntries(
          Object.entries(r.segments ?? {}).map(([segment, map]) => [segment, labels(name, map, `${name}.segments.${segment}`)])
        ),
        ...r.canary && {
          canary: { ...r.canary, salt: canarySalt(name, r.canary), version: resolve(name, r.canary.version, `${name}.canary.version`) }
        }
      }
    ])
  );
}

export {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
};
