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

export {
  pct,
  pp,
  interval,
  count,
  usd,
  duration,
  plural
};
