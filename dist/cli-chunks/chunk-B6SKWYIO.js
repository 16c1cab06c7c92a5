#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-OVNAAY32.js";
import {
  UserError
} from "./chunk-6PYOTW3E.js";
import {
  __toESM
} from "./chunk-I573FD7B.js";

// src/engine/registry/manifest-editor.ts
var import_yaml = __toESM(require_dist(), 1);
var FLOW_MAPPINGS_UNDER = /* @__PURE__ */ new Set(["segments", "metrics"]);
var ManifestEditor = class _ManifestEditor {
  constructor(text, file) {
    this.text = text;
    this.file = file;
  }
  text;
  file;
  /** Starts from the manifest's current text (undefined: the file does not exist yet). */
  static open(text, file) {
    const editor = new _ManifestEditor(text ?? "", file);
    editor.document();
    return editor;
  }
  toString() {
    return this.text;
  }
  /** Points `label` (of `segment` when given) of prompt `name` at `version`. */
  setLabel(name, label, version, segment) {
    this.set(segment ? [name, "segments", segment, label] : [name, "labels", label], version);
  }
  /** Removes the prompt's canary; a no-op when it has none. */
  removeCanary(name) {
    this.delete([name, "canary"]);
  }
  /** Writes the fields of `canary` that are given; a canary's other fields stay as written. */
  setCanary(name, canary) {
    for (const [key, value] of Object.entries(canary)) {
      if (value !== void 0) this.set([name, "canary", key], value);
    }
  }
  /** Sets the value at `path`, creating the mappings on the way. */
  set(path, value) {
    const doc = this.document();
    const existing = doc.getIn(path, true);
    if ((0, import_yaml.isScalar)(existing) && existing.range && isScalarValue(value)) {
      const [start, end] = existing.range;
      const quoted = typeof value === "string" && (existing.type === "QUOTE_DOUBLE" || existing.type === "QUOTE_SINGLE");
      this.splice(start, end, quoted ? JSON.stringify(value) : renderScalar(value, this.inFlow(doc, path)));
      return;
    }
    if (existing !== void 0) this.delete(path);
    this.insert(path, value);
  }
  /** Removes the key at `path` with its value; a no-op when it is absent. */
  delete(path) {
    const doc = this.document();
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (!(0, import_yaml.isMap)(parent)) return;
    const pair = findPair(parent, path.at(-1));
    if (!pair) return;
    if (parent.flow) {
      parent.delete(path.at(-1));
      this.replaceNode(parent, parent.toJSON(), true);
      return;
    }
    const key = pair.key;
    const value = pair.value;
    const end = value?.range ? value.range[1] : key.range[1];
    this.splice(lineStart(this.text, key.range[0]), lineEnd(this.text, end), "");
  }
  insert(path, value) {
    const doc = this.document();
    let depth = path.length - 1;
    let parent = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    while (depth > 0 && !(0, import_yaml.isMap)(parent)) {
      depth--;
      parent = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    }
    const key = path[depth];
    const nested = nest(path.slice(depth + 1), value);
    if (depth === 0 && !(0, import_yaml.isMap)(parent)) {
      if (doc.contents && !isEmptyScalar(doc.contents)) {
        throw new UserError(`${this.file} is not a mapping of prompt names; fix it before editing it with promptgate`);
      }
      const body2 = renderPair(key, nested, 0, [key]);
      this.text = this.text === "" || this.text.endsWith("\n") ? this.text + body2 : `${this.text}
${body2}`;
      return;
    }
    const map = parent;
    if (findPair(map, key)) {
      this.delete(path.slice(0, depth + 1));
      this.insert(path, value);
      return;
    }
    if (map.flow) {
      map.set(key, doc.createNode(nested));
      this.replaceNode(map, map.toJSON(), true);
      return;
    }
    const indent = map.items.length ? column(this.text, map.items[0].key.range[0]) : 0;
    const last = map.items.at(-1);
    const after = last ? lineEnd(this.text, (last.value ?? last.key).range[1]) : this.text.length;
    const body = renderPair(key, nested, indent, path.slice(0, depth + 1));
    const prefix = after > 0 && this.text[after - 1] !== "\n" ? "\n" : "";
    this.splice(after, after, prefix + body);
  }
  replaceNode(node, value, flow) {
    const [start, end] = node.range;
    this.splice(start, end, (0, import_yaml.stringify)(value, { collectionStyle: flow ? "flow" : "block", lineWidth: 0 }).trimEnd());
  }
  inFlow(doc, path) {
    const parent = doc.getIn(path.slice(0, -1), true);
    return (0, import_yaml.isMap)(parent) && Boolean(parent.flow);
  }
  splice(start, end, insert) {
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
  }
  document() {
    const doc = (0, import_yaml.parseDocument)(this.text, { prettyErrors: false });
    const error = doc.errors[0];
    if (error) throw new UserError(`${this.file} is not valid YAML (${error.message}); fix it before editing it with promptgate`);
    return doc;
  }
};
function findPair(map, key) {
  return map.items.find((p) => (0, import_yaml.isScalar)(p.key) && String(p.key.value) === key);
}
function isScalarValue(value) {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
function isEmptyScalar(node) {
  return (0, import_yaml.isScalar)(node) && (node.value === null || node.value === "");
}
function nest(path, value) {
  return path.reduceRight((inner, key) => ({ [key]: inner }), value);
}
function renderScalar(value, inFlow) {
  const text = (0, import_yaml.stringify)(value).trimEnd();
  return inFlow && typeof value === "string" && /[,[\]{}]/.test(text) && !text.startsWith('"') ? JSON.stringify(value) : text;
}
function renderPair(key, value, indent, path) {
  const pad = " ".repeat(indent);
  const head = `${pad}${renderScalar(key, false)}:`;
  if (isScalarValue(value)) return `${head} ${renderScalar(value, false)}
`;
  if (Array.isArray(value) || FLOW_MAPPINGS_UNDER.has(path.at(-2) ?? "")) {
    return `${head} ${(0, import_yaml.stringify)(value, { collectionStyle: "flow", lineWidth: 0 }).trimEnd()}
`;
  }
  const entries = Object.entries(value);
  return head + "\n" + entries.map(([k, v]) => renderPair(k, v, indent + 2, [...path, k])).join("");
}
function lineStart(text, offset) {
  return text.lastIndexOf("\n", offset - 1) + 1;
}
function lineEnd(text, offset) {
  if (offset > 0 && text[offset - 1] === "\n") return offset;
  const newline = text.indexOf("\n", offset);
  return newline === -1 ? text.length : newline + 1;
}
function column(text, offset) {
  return offset - lineStart(text, offset);
}

export {
  ManifestEditor
};
