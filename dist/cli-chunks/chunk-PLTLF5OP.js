#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/engine/report/format.ts
var DASH = "\u2014";
var MINUS = "\u2212";
function grouped(decimal) {
  const dot = decimal.indexOf(".");
  const whole = dot < 0 ? decimal : decimal.slice(0, dot);
  return whole.replace(/\B(?=(\d{3})+$)/g, ",") + (dot < 0 ? "" : decimal.slice(dot));
}
function fixed(x, digits) {
  const [mantissa, exponent = "0"] = String(Math.abs(x)).split("e");
  const scaled = String(Math.round(Number(`${mantissa}e${Number(exponent) + digits}`))).padStart(digits + 1, "0");
  return digits ? `${scaled.slice(0, -digits)}.${scaled.slice(-digits)}` : scaled;
}
var minus = (x) => x < 0 || Object.is(x, -0) ? "-" : "";
var PLAIN_LIMIT = 1e11;
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
  if (!(Math.abs(n) < PLAIN_LIMIT)) return n.toLocaleString("en-US");
  return minus(n) + grouped(fixed(n, 3).replace(/\.?0+$/, ""));
}
function usd(x) {
  if (x > 0 && x < 5e-5) return "<$0.0001";
  const decimals = x >= 1 || x === 0 ? 2 : 4;
  if (!(Math.abs(x) < PLAIN_LIMIT))
    return x.toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: decimals });
  return `${minus(x)}$${grouped(fixed(x, decimals))}`;
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

export {
  pct,
  pp,
  interval,
  count,
  usd,
  duration,
  plural
};
