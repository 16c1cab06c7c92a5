#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/engine/version.ts
var TOOL_VERSION = "0.1.0";
var BUGS_URL = "https://github.com/promptgate/promptgate/issues";

export {
  TOOL_VERSION,
  BUGS_URL
};
