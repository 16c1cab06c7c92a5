#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
} from "./chunk-A3JNUEX6.js";
import "./chunk-GWRMFEDV.js";
import "./chunk-7S34JVNF.js";
import "./chunk-BJMLXDRU.js";
import "./chunk-6OL4Y65D.js";
import "./chunk-6PYOTW3E.js";
import "./chunk-I573FD7B.js";
export {
  PUBLISHED_MANIFEST_SCHEMA,
  publish
};
