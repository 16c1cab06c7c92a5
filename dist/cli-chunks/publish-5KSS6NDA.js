#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
} from "./chunk-23L6LWKB.js";
import "./chunk-SZQJWHUG.js";
import "./chunk-5VU3X7DI.js";
import "./chunk-OVNAAY32.js";
import "./chunk-6OL4Y65D.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
};
