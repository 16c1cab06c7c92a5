#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  count
} from "./chunk-PLTLF5OP.js";

// src/engine/report/escape.ts
var ZERO_WIDTH_SPACE = "\u200B";
var CODE_BLOCK_MAX_CHARS = 2e3;
var INLINE_REPLACEMENTS = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "@": `@${ZERO_WIDTH_SPACE}`
};
var INLINE_SPECIALS = /[&<>@\\`*_[\]~|$]/g;
var LINE_BREAKS = /[\r\n\u2028\u2029]+/g;
function escapeText(text, maxChars = Infinity) {
  return truncate(text.replace(LINE_BREAKS, " "), maxChars).replace(INLINE_SPECIALS, (c) => INLINE_REPLACEMENTS[c] ?? `\\${c}`);
}
var HTML_REPLACEMENTS = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function escapeHtml(text, maxChars = Infinity) {
  return truncate(text, maxChars).replace(/[&<>"']/g, (c) => HTML_REPLACEMENTS[c]);
}
function codeBlock(text, { language = "", maxChars = CODE_BLOCK_MAX_CHARS } = {}) {
  const whole = text.replace(/\r\n?/g, "\n");
  const shown = truncate(whole, maxChars, "");
  const body = neutralise(shown);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  const block = `${fence}${language}
${body}${body === "" || body.endsWith("\n") ? "" : "\n"}${fence}`;
  if (shown === whole) return block;
  return `${block}

_(cut to ${count(shown.length)} of ${count(whole.length)} characters)_`;
}
function inlineCode(text) {
  const body = neutralise(text.replace(LINE_BREAKS, " "));
  const fence = "`".repeat(longestBacktickRun(body) + 1);
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}
function neutralise(text) {
  return text.replaceAll("@", `@${ZERO_WIDTH_SPACE}`).replaceAll("<!--", `<!${ZERO_WIDTH_SPACE}--`);
}
function longestBacktickRun(text) {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}
function truncate(text, maxChars, ellipsis = "\u2026") {
  if (text.length <= maxChars) return text;
  let cut = text.slice(0, Math.max(0, maxChars - ellipsis.length));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ellipsis;
}
function mermaidLabel(text, maxChars = 60) {
  return truncate(
    text.replace(/[^\p{L}\p{N} _.:%+\-/]/gu, " ").replace(/\s+/g, " ").trim(),
    maxChars
  );
}

export {
  escapeText,
  escapeHtml,
  codeBlock,
  inlineCode,
  mermaidLabel
};
