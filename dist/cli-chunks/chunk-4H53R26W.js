#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/engine/report/format.ts
var DASH = "\u2014";
var MINUS = "\u2212";
var formats;
var numberFormats = () => formats ??= {
  grouped: new Intl.NumberFormat("en-US"),
  dollars: new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }),
  smallDollars: new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 4 })
};
function roundedPercent(x) {
  const tenths = Math.round(Math.abs(x) * 1e3);
  return { digits: (tenths / 10).toFixed(1), sign: tenths === 0 ? 0 : Math.sign(x) };
}
function signedPoints(x) {
  const { digits, sign } = roundedPercent(x);
  return `${sign > 0 ? "+" : sign < 0 ? MINUS : "\xB1"}${digits}`;
}
var known = (x) => x !== null && Number.isFinite(x);
function pct(x) {
  if (!known(x)) return DASH;
  const { digits, sign } = roundedPercent(x);
  return `${sign < 0 ? MINUS : ""}${digits}%`;
}
function pp(delta) {
  return known(delta) ? `${signedPoints(delta)} pp` : DASH;
}
function interval(ci) {
  return ci && known(ci[0]) && known(ci[1]) ? `[${signedPoints(ci[0])}, ${signedPoints(ci[1])}] pp` : DASH;
}
function count(n) {
  return numberFormats().grouped.format(n);
}
function usd(x) {
  if (x > 0 && x < 5e-5) return "<$0.0001";
  const { dollars, smallDollars } = numberFormats();
  return (x >= 1 || x === 0 ? dollars : smallDollars).format(x);
}
function duration(ms) {
  if (ms < 1e3) return `${Math.round(ms)} ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)} s`;
  const seconds = Math.round(ms / 1e3);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
function plural(n, word, plural2 = `${word}s`) {
  return `${count(n)} ${n === 1 ? word : plural2}`;
}

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
  pct,
  pp,
  interval,
  count,
  usd,
  duration,
  plural,
  escapeText,
  escapeHtml,
  codeBlock,
  inlineCode,
  mermaidLabel
};
