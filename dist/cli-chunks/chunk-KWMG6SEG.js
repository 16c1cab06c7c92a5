#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-6PYOTW3E.js";

// src/engine/git/commands.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
var exec = promisify(execFile);
async function git(root, args) {
  const { stdout } = await exec("git", args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}
async function succeeds(root, args) {
  return git(root, args).then(
    () => true,
    () => false
  );
}
function hasCommit(root, sha) {
  return succeeds(root, ["cat-file", "-e", `${sha}^{commit}`]);
}
var present = /* @__PURE__ */ new Map();
async function revParse(root, rev) {
  let sha;
  try {
    sha = (await git(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).trim();
  } catch {
    throw new UserError(await whyNoCommit(root, rev));
  }
  present.set(`${root}\0${sha}`, Promise.resolve());
  return sha;
}
async function whyNoCommit(root, rev) {
  if (!await succeeds(root, ["rev-parse", "--git-dir"]))
    return `${root} is not a git repository: promptgate compares commits, so run it inside one (git init, then commit your prompts).`;
  if (!await succeeds(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]))
    return `The git repository in ${root} has no commits yet: commit your prompts first (git add -A && git commit -m "Add prompts").`;
  return `git cannot resolve "${rev}" to a commit in ${root}: fetch it, or name a branch, tag or sha that exists.`;
}
async function fileHistory(root, path) {
  const out = await git(root, ["log", "--format=%H", "--", path]).catch(() => "");
  return out.split("\n").filter((sha) => sha !== "");
}
async function headAndCommit(root, rev) {
  const out = await git(root, ["rev-parse", "HEAD", `${rev}^{commit}`, "--abbrev-ref", "HEAD"]).catch(() => "");
  const [head, sha, branch, ...more] = out.trim().split("\n");
  if (!head || !sha || !branch || more.length || !isSha(head) || !isSha(sha)) return void 0;
  for (const commit of [head, sha]) present.set(`${root}\0${commit}`, Promise.resolve());
  return { head: { sha: head, ref: branch === "HEAD" ? null : branch }, sha };
}
function isSha(text) {
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(text);
}
async function currentHead(root) {
  const [sha, ref] = await Promise.all(
    [
      ["rev-parse", "--verify", "--quiet", "HEAD"],
      ["symbolic-ref", "--quiet", "--short", "HEAD"]
    ].map(
      (args) => git(root, args).then(
        (s) => s.trim() || null,
        () => null
      )
    )
  );
  return { sha: sha ?? null, ref: ref ?? null };
}
async function headCommit(root) {
  try {
    const sha = (await git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])).trim();
    const object = await git(root, ["cat-file", "commit", sha]);
    const header = object.slice(0, object.indexOf("\n\n"));
    return { sha, parents: [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]) };
  } catch {
    return null;
  }
}
var MissingHistoryError = class extends UserError {
  constructor(message, missing) {
    super(message);
    this.missing = missing;
  }
  missing;
};
function ensureCommit(root, sha) {
  const key = `${root}\0${sha}`;
  let done = present.get(key);
  if (!done) {
    done = fetchIfMissing(root, sha);
    present.set(key, done);
    done.catch(() => present.delete(key));
  }
  return done;
}
async function fetchIfMissing(root, sha) {
  if (await hasCommit(root, sha)) return;
  try {
    await git(root, ["fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", sha]);
  } catch (err) {
    throw new MissingHistoryError(
      `Cannot fetch the base commit ${sha} from origin (${firstLine(err)}). Check that the repository is a clone with an origin the credentials can read.`,
      "commit"
    );
  }
}
async function mergeBase(root, baseSha, headSha) {
  const [, head] = await Promise.all([ensureCommit(root, baseSha), headSha ?? revParse(root, "HEAD")]);
  if (head === baseSha) return baseSha;
  const firstParent = (await git(root, ["rev-list", "--parents", "-n", "1", head])).trim().split(" ")[1] ?? "";
  if (firstParent === baseSha) return baseSha;
  for (const deepen of [0, 64, 512, 4096]) {
    if (deepen > 0 && !await succeeds(root, ["fetch", "--no-tags", `--deepen=${deepen}`, "origin", baseSha, head])) break;
    const found = await git(root, ["merge-base", baseSha, head]).then(
      (s) => s.trim(),
      () => ""
    );
    if (found) return found;
  }
  if (await succeeds(root, ["fetch", "--no-tags", "--unshallow", "origin"])) {
    const found = await git(root, ["merge-base", baseSha, head]).then(
      (s) => s.trim(),
      () => ""
    );
    if (found) return found;
  }
  throw new MissingHistoryError(
    `No common history between ${baseSha.slice(0, 7)} and ${head.slice(0, 7)}: fetch the base branch with its history (git fetch --unshallow origin).`,
    "history"
  );
}
async function changeSince(root, baseSha, headSha) {
  return diffFiles(root, await mergeBase(root, baseSha, headSha));
}
async function diffFiles(root, from, to) {
  const [out, untracked] = await Promise.all([
    git(root, ["diff", "--name-status", "-z", "--no-renames", "--relative", from, ...to ? [to] : []]),
    to ? "" : git(root, ["ls-files", "--others", "--exclude-standard", "-z"])
  ]);
  const parts = out.split("\0");
  const files = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i];
    const path = parts[i + 1];
    files.push({ path, status: code.startsWith("A") ? "added" : code.startsWith("D") ? "removed" : "modified" });
  }
  for (const path of untracked.split("\0").filter(Boolean)) files.push({ path, status: "added" });
  return files;
}
function firstLine(err) {
  const text = err.stderr || err.message || String(err);
  return text.trim().split("\n").pop() ?? "";
}

export {
  git,
  hasCommit,
  revParse,
  fileHistory,
  headAndCommit,
  currentHead,
  headCommit,
  MissingHistoryError,
  ensureCommit,
  mergeBase,
  changeSince,
  diffFiles
};
