#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  casesInShard,
  mergedSamples,
  parseShard,
  readPartialReports,
  shardOf
} from "./chunk-YCV4MGKE.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  casesInShard,
  mergedSamples,
  parseShard,
  readPartialReports,
  shardOf
};
