#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  writeDashboard,
  writeHtmlReport
} from "./chunk-V2S3MGKS.js";
import "./chunk-I573FD7B.js";
export {
  writeDashboard,
  writeHtmlReport
};
