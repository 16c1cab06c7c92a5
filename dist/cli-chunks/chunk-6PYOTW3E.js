#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/engine/errors.ts
var UserError = class extends Error {
  constructor(message, location) {
    super(message);
    this.location = location;
    this.name = "UserError";
  }
  location;
};
function formatLocation(loc) {
  let s = loc.file;
  if (loc.line !== void 0) s += `:${loc.line}`;
  if (loc.line !== void 0 && loc.column !== void 0) s += `:${loc.column}`;
  return s;
}

export {
  UserError,
  formatLocation
};
