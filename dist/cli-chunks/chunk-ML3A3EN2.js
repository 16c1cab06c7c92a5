#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  parseSetting
} from "./chunk-6OL4Y65D.js";
import {
  UserError
} from "./chunk-6PYOTW3E.js";

// src/cli/command.ts
function defineCommand(command) {
  return command;
}
var UsageError = class extends UserError {
  constructor(message, command) {
    super(message);
    this.command = command;
    this.name = "UsageError";
  }
  command;
};
var EXIT = { pass: 0, fail: 1, usage: 2 };

// src/cli/options.ts
var CONFIG_OPTION = {
  config: { type: "string", value: "PATH", description: "config file (default promptgate.yaml)" }
};
var EVALUATION_OPTIONS = {
  prompt: { type: "string", multiple: true, value: "NAME", description: "only this prompt" },
  concurrency: { type: "string", value: "N", description: "global limit on model calls in flight" },
  "max-cost-usd": { type: "string", value: "X", description: "stop and fail before spending more than X dollars" },
  ...CONFIG_OPTION
};
var REPORT_OPTIONS = {
  json: { type: "string", value: "FILE", description: "write the JSON report to FILE" },
  markdown: { type: "boolean", description: "print the markdown report on stdout" },
  html: { type: "string", value: "FILE", description: "write the report as one self-contained HTML page to FILE" }
};
function numberSetting(flag, setting, text, command) {
  if (text === void 0) return void 0;
  const n = parseSetting(setting, text);
  if (n === void 0) throw new UsageError(`${flag} takes ${setting.expected}; got "${text}".`, command);
  return n;
}
function oneOf(flag, text, allowed, command) {
  if (text === void 0) return void 0;
  if (!allowed.includes(text))
    throw new UsageError(`${flag} must be ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}; got "${text}".`, command);
  return text;
}
var SHARD_OPTION = {
  shard: { type: "string", value: "I/N", description: "evaluate only shard I of N and write a partial report to --json FILE" }
};
var CACHE_OPTION = {
  "no-cache": { type: "boolean", description: "do not read or write the response cache" }
};
var STATUSES = `Each prompt is listed as NAME (CHANGE, STATUS).
Change, what made it evaluated:
  added        new in this change (no base version)
  modified     its own file changed
  dependency   its suite, dataset or an included file changed
  removed      deleted by this change (not evaluated)
  unchanged    not touched, evaluated because --all or --prompt asked for it
Status, the verdict:
  pass         no metric regressed or fell below its min
  new          no base to compare with; scores and min thresholds still apply
  regressed    a metric dropped by more than max_drop, significantly (see the gate in the README)
  below-min    a metric is under its min threshold
  error        samples errored beyond max_error_rate, or it could not be evaluated
  removed      the prompt is gone`;

export {
  defineCommand,
  UsageError,
  EXIT,
  CONFIG_OPTION,
  EVALUATION_OPTIONS,
  REPORT_OPTIONS,
  numberSetting,
  oneOf,
  SHARD_OPTION,
  CACHE_OPTION,
  STATUSES
};
