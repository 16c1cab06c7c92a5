#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
} from "./chunk-EXCHONSW.js";
import "./chunk-TH7UFO26.js";
import "./chunk-HGZEZXVU.js";
import "./chunk-AJ5Q6KVA.js";
import "./chunk-CRO6IVDM.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
};
