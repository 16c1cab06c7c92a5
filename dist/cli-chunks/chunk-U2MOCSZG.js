#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-OVNAAY32.js";
import {
  UserError
} from "./chunk-6PYOTW3E.js";
import {
  __toESM
} from "./chunk-I573FD7B.js";

// src/engine/registry/history.ts
var import_yaml = __toESM(require_dist(), 1);
import { execFile } from "node:child_process";
import { promisify } from "node:util";
var exec = promisify(execFile);
async function git(root, args) {
  const { stdout } = await exec("git", args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
async function tryGit(root, args) {
  return git(root, args).then(
    (out) => out,
    () => void 0
  );
}
async function commitOf(root, rev = "HEAD") {
  const out = await tryGit(root, ["show", "-s", "--format=%H %cI", rev]);
  if (!out) throw new UserError(`Cannot read commit ${rev} in ${root}: release from a git checkout with at least one commit.`);
  const [sha, date] = out.trim().split(" ");
  return { sha, date: new Date(date).toISOString() };
}
async function permalink(root, sha, path, serverUrl) {
  const remote = (await tryGit(root, ["remote", "get-url", "origin"]))?.trim();
  if (!remote) return void 0;
  const hosts = /* @__PURE__ */ new Set(["github.com", ...serverUrl ? [new URL(serverUrl).host] : []]);
  const m = /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/git@|git@)([^/:]+)[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(remote);
  if (!m || !hosts.has(m[1])) return void 0;
  return `https://${m[1]}/${m[2]}/${m[3]}/blob/${sha}/${path.split("/").map(encodeURIComponent).join("/")}`;
}
function labelIn(text, name, label, segment) {
  if (text === void 0) return void 0;
  try {
    const manifest = (0, import_yaml.parse)(text);
    const value = segment ? manifest?.[name]?.segments?.[segment]?.[label] : manifest?.[name]?.labels?.[label];
    return value === void 0 || value === null ? void 0 : String(value);
  } catch {
    return void 0;
  }
}
async function previousTarget(root, manifestPath, pointer) {
  const where = `${pointer.segment ? `segment ${pointer.segment}'s ` : ""}${pointer.label} of ${pointer.name}`;
  for (const deepen of [0, 50, 500, 5e3, Infinity]) {
    if (deepen > 0) {
      if ((await tryGit(root, ["rev-parse", "--is-shallow-repository"]))?.trim() !== "true") break;
      const args = deepen === Infinity ? ["fetch", "--no-tags", "--unshallow", "origin"] : ["fetch", "--no-tags", `--deepen=${deepen}`, "origin"];
      if (await tryGit(root, args) === void 0) {
        throw new UserError(
          `The history of ${manifestPath} is not in this shallow checkout and fetching it from origin failed: run "git fetch --unshallow origin" (or check out with fetch-depth: 0), or name the version with --to VERSION.`
        );
      }
    }
    const log = (await tryGit(root, ["log", "--format=%H", "--", manifestPath]))?.split("\n").filter(Boolean) ?? [];
    for (const sha of log) {
      const text = await tryGit(root, ["show", `${sha}:./${manifestPath}`]);
      const value = labelIn(text, pointer.name, pointer.label, pointer.segment);
      if (value !== void 0 && value !== pointer.current) return value;
    }
  }
  throw new UserError(
    `The ${where} has pointed at ${pointer.current} since it was first set (per the history of ${manifestPath}): there is nothing to roll back to; name the version with --to VERSION.`
  );
}
async function uncommitted(root, files) {
  if (!files.length) return [];
  const out = await tryGit(root, ["status", "--porcelain", "-z", "--untracked-files=all", "--", ...files]) ?? "";
  return out.split("\0").filter((entry) => entry.length > 3).map((entry) => entry.slice(3));
}

export {
  commitOf,
  permalink,
  previousTarget,
  uncommitted
};
