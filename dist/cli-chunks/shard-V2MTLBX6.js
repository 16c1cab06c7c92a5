#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  casesInShard,
  keptSample,
  mergedSamples,
  parseShard,
  readPartialReports,
  shardOf
} from "./chunk-3H5NBBZH.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  casesInShard,
  keptSample,
  mergedSamples,
  parseShard,
  readPartialReports,
  shardOf
};
