#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
} from "./chunk-EB2DEZBD.js";
import "./chunk-I573FD7B.js";
export {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
};
