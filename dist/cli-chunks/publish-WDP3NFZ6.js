#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
} from "./chunk-LJDRTLD2.js";
import "./chunk-XNEDOSPB.js";
import "./chunk-57W2VR2Z.js";
import "./chunk-A7K4W3KY.js";
import "./chunk-CRO6IVDM.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
};
