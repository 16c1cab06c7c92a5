#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  erfc
} from "./chunk-K65MBIX3.js";
import {
  DEFAULT_CANARY,
  canarySalt,
  parseDuration
} from "./chunk-5VU3X7DI.js";
import {
  glob
} from "./chunk-POSGZES7.js";
import {
  UserError
} from "./chunk-6PYOTW3E.js";

// src/engine/canary/read.ts
import { createReadStream } from "node:fs";
import { relative } from "node:path";
import { createGunzip } from "node:zlib";

// src/engine/canary/events.ts
var EVENT_SCHEMA = "promptgate/event@1";
function parseEventLine(line) {
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return { malformed: "not JSON" };
  }
  if (!isObject(value)) return { malformed: "not a JSON object" };
  if (value["schema"] === EVENT_SCHEMA) {
    const event = fromPromptgateRecord(value);
    return typeof event === "string" ? { malformed: event } : { events: [event] };
  }
  if (Array.isArray(value["resourceSpans"])) return fromOtlp(value["resourceSpans"]);
  return { malformed: `neither a ${EVENT_SCHEMA} record nor OTLP/JSON (resourceSpans)` };
}
function fromPromptgateRecord(r) {
  const type = r["type"];
  if (type !== "call" && type !== "feedback") return `"type" must be "call" or "feedback"`;
  const ts = parseTime(r["ts"]);
  if (ts === null) return '"ts" is not a time (ISO 8601 or epoch milliseconds)';
  if (typeof r["prompt"] !== "string" || typeof r["version"] !== "string") return '"prompt" and "version" must be strings';
  const metrics = numericMetrics(r["metrics"]);
  if (typeof metrics === "string") return metrics;
  const callId = typeof r["call_id"] === "string" && r["call_id"] !== "" ? r["call_id"] : null;
  const base = { ts, prompt: r["prompt"], version: r["version"], arm: armOf(r["arm"]), metrics };
  if (type === "feedback") return callId === null ? 'feedback without a "call_id"' : { type, callId, ...base };
  return {
    type,
    callId,
    ...base,
    latencyMs: finiteOrNull(r["latency_ms"]),
    inputTokens: finiteOrNull(r["input_tokens"]),
    outputTokens: finiteOrNull(r["output_tokens"]),
    error: r["error"] !== null && r["error"] !== void 0 && r["error"] !== false
  };
}
var METRIC_PREFIX = "promptgate.metric.";
var STATUS_ERROR = 2;
function fromOtlp(resourceSpans) {
  const events = [];
  for (const resource of resourceSpans) {
    if (!isObject(resource)) return { malformed: "a resourceSpans entry is not an object" };
    const resourceAttributes = isObject(resource["resource"]) ? attributeMap(resource["resource"]["attributes"]) : /* @__PURE__ */ new Map();
    for (const scope of arrayOf(resource["scopeSpans"])) {
      if (!isObject(scope)) return { malformed: "a scopeSpans entry is not an object" };
      for (const span of arrayOf(scope["spans"])) {
        if (!isObject(span)) return { malformed: "a span is not an object" };
        const attributes = new Map([...resourceAttributes, ...attributeMap(span["attributes"])]);
        const prompt = attributes.get("gen_ai.prompt.name");
        if (typeof prompt !== "string") continue;
        const event = fromSpan(span, prompt, attributes);
        if (typeof event === "string") return { malformed: event };
        events.push(event);
      }
    }
  }
  return { events };
}
function fromSpan(span, prompt, attributes) {
  const version = attributes.get("gen_ai.prompt.version");
  if (typeof version !== "string") return `span of prompt "${prompt}" has no gen_ai.prompt.version`;
  const start = nanosToMs(span["startTimeUnixNano"]);
  const end = nanosToMs(span["endTimeUnixNano"]);
  if (end === null) return `span of prompt "${prompt}" has no endTimeUnixNano`;
  const metrics = {};
  for (const [key, value] of attributes) {
    if (!key.startsWith(METRIC_PREFIX)) continue;
    const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
    if (!Number.isFinite(number)) return `attribute ${key} is not a number`;
    metrics[key.slice(METRIC_PREFIX.length)] = number;
  }
  const callIdValue = attributes.get("promptgate.call_id");
  const callId = typeof callIdValue === "string" && callIdValue !== "" ? callIdValue : null;
  const arm = armOf(attributes.get("promptgate.arm"));
  if (attributes.get("promptgate.feedback") === true) {
    if (callId === null) return "feedback span without promptgate.call_id";
    return { type: "feedback", ts: end, callId, prompt, version, arm, metrics };
  }
  const status = isObject(span["status"]) ? span["status"]["code"] : void 0;
  return {
    type: "call",
    ts: end,
    callId,
    prompt,
    version,
    arm,
    latencyMs: start === null ? null : end - start,
    inputTokens: finiteOrNull(attributes.get("gen_ai.usage.input_tokens")),
    outputTokens: finiteOrNull(attributes.get("gen_ai.usage.output_tokens")),
    error: status === STATUS_ERROR || status === "STATUS_CODE_ERROR",
    metrics
  };
}
function attributeMap(list) {
  const map = /* @__PURE__ */ new Map();
  for (const entry of arrayOf(list)) {
    if (!isObject(entry) || typeof entry["key"] !== "string" || !isObject(entry["value"])) continue;
    const v = entry["value"];
    if ("stringValue" in v) map.set(entry["key"], v["stringValue"]);
    else if ("boolValue" in v) map.set(entry["key"], v["boolValue"]);
    else if ("intValue" in v) map.set(entry["key"], Number(v["intValue"]));
    else if ("doubleValue" in v) map.set(entry["key"], Number(v["doubleValue"]));
  }
  return map;
}
function nanosToMs(value) {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const text = String(value);
  if (!/^\d{1,20}$/.test(text)) return null;
  return Number(text.slice(0, -6) || "0") + Number(text.slice(-6)) / 1e6;
}
function parseTime(value) {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
function numericMetrics(value) {
  if (value === void 0 || value === null) return {};
  if (!isObject(value)) return '"metrics" must be an object';
  const metrics = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === null) continue;
    if (typeof v === "boolean") metrics[name] = v ? 1 : 0;
    else if (typeof v === "number" && Number.isFinite(v)) metrics[name] = v;
    else return `metric "${name}" is not a number`;
  }
  return metrics;
}
function armOf(value) {
  return value === "control" || value === "canary" ? value : null;
}
function finiteOrNull(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function arrayOf(value) {
  return Array.isArray(value) ? value : [];
}

// src/engine/canary/read.ts
var MALFORMED_MAX_SHARE = 0.01;
var MALFORMED_MIN_LINES = 10;
var EXAMPLES = 5;
async function resolveEventFiles(patterns, root) {
  if (patterns.length === 0)
    throw new UserError('canary check needs events: pass --events GLOB (repeatable), e.g. --events "events/*.jsonl.gz".');
  const files = await glob(patterns, { cwd: root, absolute: true, onlyFiles: true, dot: true });
  if (files.length === 0) {
    throw new UserError(
      `No event file matches ${patterns.map((p) => `"${p}"`).join(", ")} (relative to ${root}). A check without events would hold forever without saying why: point --events at the files your sink or collector writes.`
    );
  }
  return files.sort();
}
async function readEvents(files, root, onEvent) {
  const summary = {
    files: files.map((f) => relative(root, f) || f),
    lines: 0,
    events: 0,
    malformed: 0,
    malformed_examples: []
  };
  for (const file of files) {
    const name = relative(root, file) || file;
    const raw = createReadStream(file);
    const input = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
    const failure = new Promise((_, reject) => {
      const fail = (err) => reject(new UserError(`${name}: cannot read events (${err.message}).`));
      raw.on("error", fail);
      if (input !== raw) input.on("error", fail);
    });
    let lineNumber = 0;
    const onLine = (line) => {
      lineNumber += 1;
      if (line.trim() === "") return;
      summary.lines += 1;
      const parsed = parseEventLine(line);
      if ("malformed" in parsed) {
        summary.malformed += 1;
        if (summary.malformed_examples.length < EXAMPLES) summary.malformed_examples.push(`${name}:${lineNumber}: ${parsed.malformed}`);
        return;
      }
      for (const event of parsed.events) {
        summary.events += 1;
        onEvent(event);
      }
    };
    const consume = splitLines(input.setEncoding("utf8"), onLine);
    failure.catch(() => void 0);
    try {
      await Promise.race([consume, failure]);
    } catch (err) {
      throw err instanceof UserError ? err : new UserError(`${name}: cannot read events (${err.message}).`);
    }
  }
  return summary;
}
var LINE_BREAK = /\r\n|\n|\r/g;
async function splitLines(input, onLine) {
  let rest = "";
  for await (const chunk of input) {
    let start = 0;
    if (rest.endsWith("\r")) {
      onLine(rest.slice(0, -1));
      rest = "";
      if (chunk.startsWith("\n")) start = 1;
    }
    LINE_BREAK.lastIndex = start;
    for (let match = LINE_BREAK.exec(chunk); match !== null; match = LINE_BREAK.exec(chunk)) {
      if (match[0] === "\r" && match.index === chunk.length - 1) break;
      onLine(rest + chunk.slice(start, match.index));
      rest = "";
      start = LINE_BREAK.lastIndex;
    }
    rest += chunk.slice(start);
  }
  if (rest.endsWith("\r")) onLine(rest.slice(0, -1));
  else if (rest !== "") onLine(rest);
}
function malformedProblem(summary) {
  const { malformed, lines } = summary;
  if (malformed < MALFORMED_MIN_LINES || malformed <= lines * MALFORMED_MAX_SHARE) return null;
  return new UserError(
    `${malformed} of ${lines} event lines are malformed (more than ${MALFORMED_MAX_SHARE * 100}%), so no decision is made. First ones:
${summary.malformed_examples.map((e) => `  ${e}`).join("\n")}
Each line must be a promptgate/event@1 record or an OTLP/JSON line of the OpenTelemetry Collector file exporter.`
  );
}

// src/engine/canary/id-table.ts
var EMPTY = 0;
var DELETED = -1;
var MAX_LOAD = 0.75;
var INITIAL_CAPACITY = 1024;
var IdTable = class {
  capacity = INITIAL_CAPACITY;
  keys = new Float64Array(INITIAL_CAPACITY);
  live = 0;
  occupied = 0;
  get size() {
    return this.live;
  }
  has(id) {
    return this.slotOf(id) >= 0;
  }
  clear() {
    this.keys.fill(EMPTY);
    this.live = 0;
    this.occupied = 0;
  }
  /** The slot holding `id`, or -1. */
  slotOf(id) {
    return this.live > 0 ? this.find(hashKey(id)) : -1;
  }
  /** Adds `id` when absent. Its slot: `slot` when just added, `-1 - slot` when it was there already. */
  put(id) {
    if ((this.occupied + 1) / this.capacity > MAX_LOAD)
      this.rehash(this.live * 2 + 2 > this.capacity * MAX_LOAD ? this.capacity * 2 : this.capacity);
    const key = hashKey(id);
    const found = this.find(key);
    if (found >= 0) return -1 - found;
    const slot = this.insertionSlot(key);
    if (this.keys[slot] === EMPTY) this.occupied += 1;
    this.keys[slot] = key;
    this.live += 1;
    return slot;
  }
  remove(slot) {
    this.keys[slot] = DELETED;
    this.live -= 1;
  }
  /** Subclasses with per-slot columns allocate them at `capacity` here and say how to move a slot's values. */
  resized(_capacity) {
    return null;
  }
  find(key) {
    const mask = this.capacity - 1;
    for (let i = key % this.capacity; ; i = i + 1 & mask) {
      const k = this.keys[i];
      if (k === key) return i;
      if (k === EMPTY) return -1;
    }
  }
  /** The first empty or deleted slot on `key`'s probe path. */
  insertionSlot(key) {
    const mask = this.capacity - 1;
    for (let i = key % this.capacity; ; i = i + 1 & mask) {
      const k = this.keys[i];
      if (k === EMPTY || k === DELETED) return i;
    }
  }
  /** Rebuilds the table at `capacity` (a power of two), dropping deleted slots. */
  rehash(capacity) {
    const old = this.keys;
    this.capacity = capacity;
    this.keys = new Float64Array(capacity);
    const move = this.resized(capacity);
    this.occupied = 0;
    for (let i = 0; i < old.length; i++) {
      const key = old[i];
      if (key === EMPTY || key === DELETED) continue;
      const slot = this.insertionSlot(key);
      this.keys[slot] = key;
      move?.(i, slot);
      this.occupied += 1;
    }
  }
};
var CallIdSet = class extends IdTable {
  /** True when `id` is new; false when it was seen before. */
  add(id) {
    return this.put(id) >= 0;
  }
};
function hashKey(text) {
  let a = 2166136261;
  let b = 16777619 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 1540483477);
    b ^= b >>> 15;
  }
  return (a >>> 0) % 2097152 * 4294967296 + (b >>> 0) + 1;
}

// src/engine/canary/feedback-store.ts
var FeedbackStore = class extends IdTable {
  ts = new Float64Array(this.capacity);
  /** Per metric name, one value per slot; NaN where that feedback did not carry the metric. */
  values = /* @__PURE__ */ new Map();
  /** Keeps `metrics` unless the call id already has feedback with a later `ts` (latest wins). */
  keep(callId, ts, metrics) {
    const put = this.put(callId);
    const slot = put >= 0 ? put : -1 - put;
    if (put < 0 && this.ts[slot] > ts) return;
    this.ts[slot] = ts;
    for (const column of this.values.values()) column[slot] = NaN;
    for (const [name, value] of Object.entries(metrics)) this.column(name)[slot] = value;
  }
  /** The kept metrics of `callId`, forgetting them; undefined when there are none. */
  take(callId) {
    const slot = this.slotOf(callId);
    if (slot < 0) return void 0;
    this.remove(slot);
    const metrics = {};
    for (const [name, column] of this.values) if (!Number.isNaN(column[slot])) metrics[name] = column[slot];
    return metrics;
  }
  resized(capacity) {
    const ts = this.ts;
    const old = [...this.values];
    this.ts = new Float64Array(capacity);
    for (const [name] of old) this.values.set(name, new Float64Array(capacity).fill(NaN));
    const columns = old.map(([name, column]) => [column, this.values.get(name)]);
    return (from, to) => {
      this.ts[to] = ts[from];
      for (const [before, after] of columns) after[to] = before[from];
    };
  }
  column(name) {
    let column = this.values.get(name);
    if (!column) this.values.set(name, column = new Float64Array(this.capacity).fill(NaN));
    return column;
  }
};

// src/engine/canary/quantile.ts
var GAMMA = 1.02;
var LOG_GAMMA = Math.log(GAMMA);
var MIN_VALUE = 1e-3;
var ZERO = Number.MIN_SAFE_INTEGER;
var Histogram = class {
  counts = /* @__PURE__ */ new Map();
  total = 0;
  add(value) {
    const bucket = bucketOf(value);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
  }
  /** The bucket holding the q-quantile (nearest rank), or null when empty. */
  quantileBucket(q) {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const bucket of this.sortedBuckets()) {
      seen += this.counts.get(bucket);
      if (seen >= rank) return bucket;
    }
    return null;
  }
  /** Values whose bucket lies above `bucket` (a bucket index, so both arms count alike). */
  countAbove(bucket) {
    let n = 0;
    for (const [b, count] of this.counts) if (b > bucket) n += count;
    return n;
  }
  /** Values whose bucket lies below `bucket`. */
  countBelow(bucket) {
    let n = 0;
    for (const [b, count] of this.counts) if (b < bucket) n += count;
    return n;
  }
  sortedBuckets() {
    return [...this.counts.keys()].sort((a, b) => a - b);
  }
};
function bucketOf(value) {
  return value <= MIN_VALUE ? ZERO : Math.ceil(Math.log(value) / LOG_GAMMA);
}
function upperEdge(bucket) {
  return bucket === ZERO ? 0 : GAMMA ** bucket;
}
function latencyQuantileOf(metric) {
  const match = /^latency_p(\d{1,2}(?:\.\d+)?)_ms$/.exec(metric);
  return match ? Number(match[1]) / 100 : null;
}

// src/engine/canary/sequential.ts
var TUNING_SAMPLE_SIZE = 5e3;
function mixtureRho(alpha, tuning = TUNING_SAMPLE_SIZE) {
  const a = 2 * alpha;
  return Math.sqrt((-2 * Math.log(a) + Math.log(-2 * Math.log(a) + 1)) / tuning);
}
function oneSidedHalfWidth(s2, n, alpha, rho = mixtureRho(alpha)) {
  if (n <= 0) return Infinity;
  const nr2 = n * rho * rho;
  return Math.sqrt(s2 * 2 * (nr2 + 1) * Math.log(1 + Math.sqrt(nr2 + 1) / (2 * alpha)) / (n * rho) ** 2);
}
var emptyMoments = () => ({ n: 0, sum: 0, sumSquares: 0 });
function addValue(m, x) {
  m.n += 1;
  m.sum += x;
  m.sumSquares += x * x;
}
function mean(m) {
  return m.n === 0 ? null : m.sum / m.n;
}
function variance(m) {
  if (m.n < 2) return 0;
  return Math.max(0, (m.sumSquares - m.sum * m.sum / m.n) / (m.n - 1));
}
function differenceBound(control, canary, alpha, side) {
  const difference = canary.sum / canary.n - control.sum / control.n;
  const n = control.n + canary.n;
  const se2 = variance(control) / control.n + variance(canary) / canary.n;
  const halfWidth = oneSidedHalfWidth(se2 * n, n, alpha);
  return { difference, halfWidth, bound: side === "upper" ? difference + halfWidth : difference - halfWidth };
}
function srmPValue(controlCalls, canaryCalls, canaryShare) {
  const total = controlCalls + canaryCalls;
  if (total === 0 || canaryShare <= 0 || canaryShare >= 1) return 1;
  const expectedCanary = total * canaryShare;
  const expectedControl = total - expectedCanary;
  const chi2 = (canaryCalls - expectedCanary) ** 2 / expectedCanary + (controlCalls - expectedControl) ** 2 / expectedControl;
  return erfc(Math.sqrt(chi2 / 2));
}

// src/engine/canary/aggregate.ts
var emptyArm = () => ({
  calls: 0,
  errors: 0,
  metrics: /* @__PURE__ */ new Map(),
  latency: new Histogram(),
  latencyMoments: emptyMoments(),
  inputTokens: emptyMoments(),
  outputTokens: emptyMoments()
});
var CLOCK_SKEW_TOLERANCE_MS = 5 * 6e4;
var RolloutAggregate = class {
  constructor(window) {
    this.window = window;
  }
  window;
  arms = { control: emptyArm(), canary: emptyArm() };
  /** Chart points: per bucket index, per arm. */
  series = /* @__PURE__ */ new Map();
  ignored = { otherVersion: 0, beforeStep: 0, noArm: 0, future: 0, unmatchedFeedback: 0, duplicateCalls: 0 };
  metricNames = /* @__PURE__ */ new Set();
  feedback = new FeedbackStore();
  counted = new CallIdSet();
  get pendingFeedback() {
    return this.feedback.size;
  }
  /** Pass 1. */
  add(event) {
    if (event.prompt !== this.window.prompt) return;
    if (event.type === "feedback") return this.keepFeedback(event);
    const arm = this.admit(event);
    if (arm === null) return;
    for (const name of Object.keys(event.metrics)) this.metricNames.add(name);
    if (event.ts < this.window.start) {
      this.ignored.beforeStep += 1;
      return;
    }
    if (event.callId !== null && !this.counted.add(event.callId)) {
      this.ignored.duplicateCalls += 1;
      return;
    }
    for (const totals of [this.arms[arm], this.bucket(event.ts)[arm]]) addCall(totals, event);
  }
  /**
   * Pass 2 (only needed when pass 1 kept feedback): joins a call to its latest feedback. The
   * first admitted delivery of a call is the one pass 1 counted; taking the feedback there
   * leaves none for a duplicate.
   */
  join(event) {
    if (event.type !== "call" || event.callId === null || this.feedback.size === 0) return;
    if (event.prompt !== this.window.prompt || !this.feedback.has(event.callId)) return;
    const arm = this.admit(event, false);
    if (arm === null || event.ts < this.window.start) return;
    const kept = this.feedback.take(event.callId);
    if (event.error) {
      this.ignored.unmatchedFeedback += 1;
      return;
    }
    for (const totals of [this.arms[arm], this.bucket(event.ts)[arm]]) {
      for (const [name, value] of Object.entries(kept)) {
        const moments = metricMoments(totals, name);
        const recorded = event.metrics[name];
        if (recorded !== void 0) removeValue(moments, recorded);
        addValue(moments, value);
      }
    }
  }
  /** After pass 2: feedback left over had no call in the window. */
  finish() {
    this.ignored.unmatchedFeedback += this.feedback.size;
    this.feedback.clear();
  }
  /** The arm an event of this rollout counts in, or null (and counted) when it does not. */
  admit(event, count = true) {
    const { controlVersion, canaryVersion, now } = this.window;
    const tally = (key) => {
      if (count) this.ignored[key] += 1;
      return null;
    };
    if (event.version !== controlVersion && event.version !== canaryVersion) return tally("otherVersion");
    if (event.arm === null) return tally("noArm");
    if (event.version !== (event.arm === "canary" ? canaryVersion : controlVersion)) return tally("otherVersion");
    if (event.ts > now + CLOCK_SKEW_TOLERANCE_MS) return tally("future");
    return event.arm;
  }
  keepFeedback(event) {
    if (event.ts > this.window.now + CLOCK_SKEW_TOLERANCE_MS) {
      this.ignored.future += 1;
      return;
    }
    for (const name of Object.keys(event.metrics)) this.metricNames.add(name);
    this.feedback.keep(event.callId, event.ts, event.metrics);
  }
  bucket(ts) {
    const index = Math.floor((ts - this.window.start) / this.window.bucketMs);
    let point = this.series.get(index);
    if (!point) this.series.set(index, point = { control: emptyArm(), canary: emptyArm() });
    return point;
  }
};
function addCall(totals, call) {
  totals.calls += 1;
  if (call.error) {
    totals.errors += 1;
    return;
  }
  for (const [name, value] of Object.entries(call.metrics)) addValue(metricMoments(totals, name), value);
  if (call.latencyMs !== null) {
    totals.latency.add(call.latencyMs);
    addValue(totals.latencyMoments, call.latencyMs);
  }
  if (call.inputTokens !== null) addValue(totals.inputTokens, call.inputTokens);
  if (call.outputTokens !== null) addValue(totals.outputTokens, call.outputTokens);
}
function metricMoments(totals, name) {
  let moments = totals.metrics.get(name);
  if (!moments) totals.metrics.set(name, moments = emptyMoments());
  return moments;
}
function removeValue(m, x) {
  m.n -= 1;
  m.sum -= x;
  m.sumSquares -= x * x;
}

// src/engine/canary/duration.ts
var UNIT_MS = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 };
function formatDuration(ms) {
  for (const unit of ["d", "h", "m"]) {
    if (ms >= UNIT_MS[unit]) return `${Number((ms / UNIT_MS[unit]).toFixed(1))}${unit}`;
  }
  return `${Math.max(0, Math.round(ms / 1e3))}s`;
}

// src/engine/canary/decide.ts
var SRM_THRESHOLD = 1e-3;
var MIN_METRIC_VALUES = 30;
var BUILT_IN = {
  error_rate: { direction: "lower", max_drop: 0 }
};
var DEFAULT_EVENT_METRIC = { direction: "higher", max_drop: 0 };
var LOWER_IS_BETTER = /* @__PURE__ */ new Set(["latency_ms", "input_tokens", "output_tokens"]);
function guardedMetrics(settings, aggregate) {
  if (settings.metrics) return settings.metrics;
  const metrics = { ...BUILT_IN };
  for (const name of [...aggregate.metricNames].sort()) metrics[name] = DEFAULT_EVENT_METRIC;
  return metrics;
}
function decide(settings, aggregate, now) {
  const { control, canary } = aggregate.arms;
  const weight = settings.steps[settings.step];
  const guarded = guardedMetrics(settings, aggregate);
  const runningSteps = Math.max(1, settings.steps.filter((s) => s < 100).length);
  const alphaPerTest = settings.alpha / (runningSteps * Math.max(1, Object.keys(guarded).length));
  const metrics = Object.entries(guarded).map(([name, rule]) => compareMetric(name, rule, control, canary, alphaPerTest, aggregate));
  const srmP = srmPValue(control.calls, canary.calls, weight / 100);
  const base = {
    prompt: settings.prompt,
    step: settings.step,
    weight,
    started_at: new Date(settings.startedAt).toISOString(),
    arms: {
      control: { calls: control.calls, version: settings.controlVersion },
      canary: { calls: canary.calls, version: settings.version }
    },
    srm_p: srmP,
    srm_alarm: srmP < SRM_THRESHOLD,
    alpha_per_test: alphaPerTest,
    metrics,
    ignored: aggregate.ignored,
    series: chartSeries(aggregate, Object.keys(guarded))
  };
  if (base.srm_alarm) {
    const expected = Math.round((control.calls + canary.calls) * weight / 100);
    return {
      ...base,
      decision: "hold",
      reason: `Sample-ratio mismatch (p = ${srmP.toExponential(2)} < ${SRM_THRESHOLD}): the canary got ${canary.calls} of ${control.calls + canary.calls} calls where ${weight}% is about ${expected}. Routing or logging is broken (stale manifest in some instances, a different bucketing key, events lost for one arm), so no verdict on quality is trusted. Fix it, then start the step again.`
    };
  }
  const regressed = metrics.filter((m) => m.regressed);
  if (regressed.length > 0) {
    return { ...base, decision: "rollback", reason: `The canary regressed ${regressed.map(describeRegression).join("; ")}.` };
  }
  const next = settings.steps[settings.step + 1];
  if (weight >= 100 || next === void 0) {
    return {
      ...base,
      decision: "promote",
      next_weight: 100,
      reason: `The current step routes ${weight}%: nothing left to compare, so the version is promoted.`
    };
  }
  const elapsed = now - settings.startedAt;
  const waiting = [];
  if (elapsed < settings.minDurationMs)
    waiting.push(`the step has run ${formatDuration(elapsed)} of ${formatDuration(settings.minDurationMs)}`);
  for (const [arm, totals] of [
    ["control", control],
    ["canary", canary]
  ]) {
    if (totals.calls < settings.minSamples) waiting.push(`${arm} has ${totals.calls} of ${settings.minSamples} calls`);
  }
  for (const m of metrics) if (m.note) waiting.push(`${m.name}: ${m.note}`);
  if (waiting.length > 0) return { ...base, decision: "hold", reason: `No regression so far; waiting: ${waiting.join("; ")}.` };
  const enough = `no regression after ${formatDuration(elapsed)} with ${control.calls} control and ${canary.calls} canary calls`;
  if (next >= 100)
    return {
      ...base,
      decision: "promote",
      next_weight: 100,
      reason: `${capitalise(enough)}; the next step is 100%, so ${settings.version} becomes production.`
    };
  return { ...base, decision: "advance", next_weight: next, reason: `${capitalise(enough)}; advancing from ${weight}% to ${next}%.` };
}
function compareMetric(name, rule, control, canary, alpha, aggregate) {
  const quantile = latencyQuantileOf(name);
  if (quantile !== null) return compareQuantile(name, quantile, rule, control, canary, alpha);
  const [c, k] = [momentsOf(name, control), momentsOf(name, canary)];
  const result = {
    name,
    ...rule,
    test: "mean",
    control: mean(c),
    canary: mean(k),
    n: { control: c.n, canary: k.n },
    difference: null,
    interval: null,
    regressed: false
  };
  if (c.n === 0 && k.n === 0 && !isBuiltIn(name)) {
    const seen = [...aggregate.metricNames].sort();
    return {
      ...result,
      note: `no call of either arm carries this metric; check its name (the events carry ${seen.length ? seen.join(", ") : "no metrics"})`
    };
  }
  if (c.n < MIN_METRIC_VALUES || k.n < MIN_METRIC_VALUES)
    return { ...result, note: `${Math.min(c.n, k.n)} of the ${MIN_METRIC_VALUES} values per arm it needs to be tested` };
  const side = rule.direction === "higher" ? "upper" : "lower";
  const { difference, bound } = differenceBound(c, k, alpha, side);
  const regressed = rule.direction === "higher" ? bound < -rule.max_drop : bound > rule.max_drop;
  return { ...result, difference, interval: side === "upper" ? [null, bound] : [bound, null], regressed };
}
function compareQuantile(name, q, rule, control, canary, alpha) {
  const controlBucket = control.latency.quantileBucket(q);
  const canaryBucket = canary.latency.quantileBucket(q);
  const result = {
    name,
    ...rule,
    test: "exceedance",
    control: controlBucket === null ? null : upperEdge(controlBucket),
    canary: canaryBucket === null ? null : upperEdge(canaryBucket),
    n: { control: control.latency.total, canary: canary.latency.total },
    difference: null,
    interval: null,
    regressed: false
  };
  if (controlBucket === null || control.latency.total < MIN_METRIC_VALUES || canary.latency.total < MIN_METRIC_VALUES) {
    return {
      ...result,
      note: `${Math.min(control.latency.total, canary.latency.total)} of the ${MIN_METRIC_VALUES} latencies per arm it needs to be tested`
    };
  }
  const threshold = upperEdge(controlBucket);
  const higher = rule.direction === "higher";
  const canaryBucketLimit = rule.max_drop === 0 ? controlBucket : bucketOf(higher ? threshold - rule.max_drop : threshold + rule.max_drop);
  const tail = (totals, bucket) => {
    const k = higher ? totals.latency.countBelow(bucket) : totals.latency.countAbove(bucket);
    return { n: totals.latency.total, sum: k, sumSquares: k };
  };
  const { difference, bound } = differenceBound(tail(control, controlBucket), tail(canary, canaryBucketLimit), alpha, "lower");
  return { ...result, difference, interval: [bound, null], regressed: bound > 0 };
}
function momentsOf(name, totals) {
  switch (name) {
    case "error_rate":
      return { n: totals.calls, sum: totals.errors, sumSquares: totals.errors };
    case "latency_ms":
      return totals.latencyMoments;
    case "input_tokens":
      return totals.inputTokens;
    case "output_tokens":
      return totals.outputTokens;
    default:
      return totals.metrics.get(name) ?? emptyMoments();
  }
}
function isBuiltIn(name) {
  return name === "error_rate" || LOWER_IS_BETTER.has(name);
}
function describeRegression(m) {
  const worse = m.direction === "higher" ? "lower" : "higher";
  const by = m.max_drop > 0 ? ` by more than ${m.max_drop}` : "";
  const values = `${formatValue(m.control)} -> ${formatValue(m.canary)}`;
  return `on ${m.name} (${values}: ${worse}${by} with always-valid confidence)`;
}
function formatValue(value) {
  if (value === null) return "n/a";
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}
function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
function chartSeries(aggregate, names) {
  const { start, bucketMs } = aggregate.window;
  const valueOf = (name, totals) => {
    const q = latencyQuantileOf(name);
    if (q !== null) {
      const bucket = totals.latency.quantileBucket(q);
      return bucket === null ? null : upperEdge(bucket);
    }
    return mean(momentsOf(name, totals));
  };
  const arm = (totals) => Object.fromEntries(names.map((n) => [n, valueOf(n, totals)]));
  return [...aggregate.series.entries()].sort(([a], [b]) => a - b).map(([index, point]) => ({
    at: new Date(start + index * bucketMs).toISOString(),
    control: arm(point.control),
    canary: arm(point.canary)
  }));
}

// src/engine/canary/check.ts
var HOUR_MS = 36e5;
var CHART_POINTS = 24;
async function checkCanaries({ rollouts, files, root, now }) {
  const check = new CanaryCheck(rollouts, now);
  const events = await readEvents(files, root, (event) => check.add(event));
  if (check.needsJoin && !malformedProblem(events)) await readEvents(files, root, (event) => check.join(event));
  return check.report(events);
}
var CanaryCheck = class {
  constructor(rollouts, now) {
    this.rollouts = rollouts;
    this.now = now;
    this.aggregates = rollouts.map((r) => new RolloutAggregate(windowOf(r, now)));
  }
  rollouts;
  now;
  aggregates;
  add(event) {
    for (const a of this.aggregates) a.add(event);
  }
  /** Some feedback waits for its call: the events must be read a second time through `join`. */
  get needsJoin() {
    return this.aggregates.some((a) => a.pendingFeedback > 0);
  }
  join(event) {
    for (const a of this.aggregates) if (a.pendingFeedback > 0) a.join(event);
  }
  /** The decisions; a UserError when too many lines were malformed to decide on. */
  report(events) {
    const problem = malformedProblem(events);
    if (problem) throw problem;
    for (const a of this.aggregates) a.finish();
    const prompts = this.rollouts.map((r, i) => decide(r, this.aggregates[i], this.now));
    const failed = prompts.some((p) => p.decision === "rollback" || p.srm_alarm);
    return {
      schema: "promptgate/canary@1",
      generated_at: new Date(this.now).toISOString(),
      result: failed ? "fail" : "pass",
      applied: false,
      events,
      prompts
    };
  }
};
function windowOf(r, now) {
  const span = Math.max(HOUR_MS, now - r.startedAt);
  return {
    prompt: r.prompt,
    controlVersion: r.controlVersion,
    canaryVersion: r.version,
    start: r.startedAt,
    now,
    bucketMs: Math.ceil(span / CHART_POINTS / HOUR_MS) * HOUR_MS
  };
}

// src/engine/canary/settings.ts
function canarySettings(name, releases) {
  const canary = releases.canary;
  if (!canary) return null;
  return {
    prompt: name,
    controlVersion: releases.labels["production"],
    version: canary.version,
    steps: canary.steps,
    step: canary.step,
    startedAt: Date.parse(canary.started_at),
    salt: canarySalt(name, canary),
    minSamples: canary.min_samples ?? DEFAULT_CANARY.min_samples,
    minDurationMs: parseDuration(canary.min_duration ?? DEFAULT_CANARY.min_duration),
    metrics: canary.metrics,
    alpha: canary.alpha ?? DEFAULT_CANARY.alpha
  };
}

export {
  CallIdSet,
  FeedbackStore,
  Histogram,
  upperEdge,
  resolveEventFiles,
  readEvents,
  checkCanaries,
  CanaryCheck,
  canarySettings
};
