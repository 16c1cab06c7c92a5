#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
} from "./chunk-FO5G2H3J.js";
import "./chunk-JV3KBDLX.js";
import "./chunk-P6C2LPMM.js";
import "./chunk-2BKPMLGP.js";
import "./chunk-6OL4Y65D.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
};
