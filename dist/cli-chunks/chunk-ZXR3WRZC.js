#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  TOOL_VERSION
} from "./chunk-DT6VQ6HQ.js";
import {
  literal,
  number,
  object,
  record,
  string
} from "./chunk-6OL4Y65D.js";

// src/engine/models/pricing.ts
var BUILTIN_PRICES = {
  // OpenAI
  "gpt-5-2025-08-07": { input: 1.25, output: 10 },
  "gpt-5-mini-2025-08-07": { input: 0.25, output: 2 },
  "gpt-5-nano-2025-08-07": { input: 0.05, output: 0.4 },
  "gpt-4.1-2025-04-14": { input: 2, output: 8 },
  "gpt-4.1-mini-2025-04-14": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano-2025-04-14": { input: 0.1, output: 0.4 },
  "gpt-4o-2024-11-20": { input: 2.5, output: 10 },
  "gpt-4o-2024-08-06": { input: 2.5, output: 10 },
  "gpt-4o-2024-05-13": { input: 5, output: 15 },
  "gpt-4o-mini-2024-07-18": { input: 0.15, output: 0.6 },
  "gpt-3.5-turbo-0125": { input: 0.5, output: 1.5 },
  "o1-2024-12-17": { input: 15, output: 60 },
  "o3-2025-04-16": { input: 2, output: 8 },
  "o3-mini-2025-01-31": { input: 1.1, output: 4.4 },
  "o4-mini-2025-04-16": { input: 1.1, output: 4.4 },
  // Anthropic
  "claude-opus-4-6": { input: 5, output: 25 },
  "claude-sonnet-4-6": { input: 3, output: 15 },
  "claude-opus-4-5-20251101": { input: 5, output: 25 },
  "claude-haiku-4-5-20251001": { input: 1, output: 5 },
  "claude-sonnet-4-5-20250929": { input: 3, output: 15 },
  "claude-opus-4-1-20250805": { input: 15, output: 75 },
  "claude-opus-4-20250514": { input: 15, output: 75 },
  "claude-sonnet-4-20250514": { input: 3, output: 15 },
  "claude-3-7-sonnet-20250219": { input: 3, output: 15 },
  "claude-3-5-sonnet-20241022": { input: 3, output: 15 },
  "claude-3-5-haiku-20241022": { input: 0.8, output: 4 },
  "claude-3-haiku-20240307": { input: 0.25, output: 1.25 }
};
function costOf(model, inputTokens, outputTokens, pricing) {
  const price = Object.hasOwn(pricing, model) ? pricing[model] : Object.hasOwn(BUILTIN_PRICES, model) ? BUILTIN_PRICES[model] : void 0;
  if (!price) return 0;
  return (inputTokens * price.input + outputTokens * price.output) / 1e6;
}

// src/engine/files/baseline.ts
import { posix } from "node:path";
var BASELINE_SCHEMA = "promptgate/baseline@1";
function baselinePath(baselinesDir, name) {
  return posix.join(baselinesDir, `${name}.json`);
}
var scoreMap = record(string(), number());
var baselineSchema = object({
  schema: literal(BASELINE_SCHEMA),
  name: string(),
  version: string(),
  prompt_hash: string(),
  suite_hash: string(),
  model: string(),
  created_at: string(),
  tool_version: string(),
  repeat: number().int().positive(),
  metrics: record(string(), object({ mean: number(), n: number() })),
  cases: record(string(), scoreMap),
  outputs: record(string(), string()).optional()
});
function readBaseline(src, baselinesDir, name) {
  const file = baselinePath(baselinesDir, name);
  const text = src.read(file);
  if (text === void 0) return { missing: true };
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return {
      problem: invalid(file, `is not valid JSON (${err.message}); delete it and run promptgate baseline to write it again.`)
    };
  }
  const result = baselineSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      problem: invalid(
        file,
        `is not a promptgate/baseline@1 file: ${issue.path.join(".") || "(root)"}: ${issue.message}. Run promptgate baseline to write it again.`
      )
    };
  }
  return { baseline: result.data };
}
function toBaseline(result, table, suiteOf, now = /* @__PURE__ */ new Date()) {
  const outputs = {};
  for (const s of result.samples) if (s.sample === 0) outputs[s.caseId] = s.output;
  return {
    schema: BASELINE_SCHEMA,
    name: result.prompt,
    version: result.version,
    prompt_hash: result.promptHash,
    // Hashed on first read (artifact.suiteHash): a pull-request run never pays for it.
    suite_hash: suiteOf.artifact.suiteHash,
    model: result.model,
    created_at: now.toISOString(),
    tool_version: TOOL_VERSION,
    repeat: suiteOf.suite.repeat,
    metrics: table.metrics,
    cases: Object.fromEntries(table.cases),
    outputs
  };
}
function invalid(file, message) {
  return { rule: "invalid-file", severity: "error", file, line: 1, message: `${file} ${message}` };
}

export {
  costOf,
  baselinePath,
  readBaseline,
  toBaseline
};
