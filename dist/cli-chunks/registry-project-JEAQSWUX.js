#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  WorkTree,
  loadProject
} from "./chunk-KTLWAHZQ.js";
import "./chunk-OVNAAY32.js";
import "./chunk-POSGZES7.js";
import "./chunk-6OL4Y65D.js";
import "./chunk-KWMG6SEG.js";
import {
  UserError,
  formatLocation
} from "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";

// src/cli/registry-project.ts
function registryProject(cwd, configPath) {
  const src = new WorkTree(cwd);
  const project = loadProject(src, { configPath, datasetCases: false });
  const broken = project.findings.filter((f) => f.file === project.config.file && f.severity === "error");
  if (broken.length) throw new UserError(broken.map((f) => `${formatLocation(f)}: ${f.message}`).join("\n"), broken[0]);
  return { src, project };
}
export {
  registryProject
};
