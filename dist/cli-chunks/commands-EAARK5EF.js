#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  MissingHistoryError,
  changeSince,
  currentHead,
  diffFiles,
  ensureCommit,
  fileHistory,
  git,
  hasCommit,
  headAndCommit,
  headCommit,
  mergeBase,
  revParse
} from "./chunk-KWMG6SEG.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  MissingHistoryError,
  changeSince,
  currentHead,
  diffFiles,
  ensureCommit,
  fileHistory,
  git,
  hasCommit,
  headAndCommit,
  headCommit,
  mergeBase,
  revParse
};
