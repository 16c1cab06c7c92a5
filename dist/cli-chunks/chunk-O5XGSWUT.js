#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  pct,
  pp
} from "./chunk-PLTLF5OP.js";

// src/engine/report/canary-figures.ts
function metricFigures(m) {
  const share = m.test === "mean" && isShare(m);
  const value = (x) => x === null ? "\u2014" : share ? pct(x) : m.test === "exceedance" ? `${Math.round(x)} ms` : x.toPrecision(3);
  const diff = (x) => x === null ? "\u2014" : share || m.test === "exceedance" ? pp(x) : signed(x.toPrecision(3));
  const bound = m.interval === null ? m.note ?? "\u2014" : m.interval[0] !== null ? `\u2265 ${diff(m.interval[0])}` : `\u2264 ${diff(m.interval[1])}`;
  const worse = m.direction === "higher" ? "lower" : "higher";
  return {
    metric: `${m.name} (${worse} is worse${m.max_drop ? `, max drop ${m.max_drop}` : ""})`,
    control: value(m.control),
    canary: value(m.canary),
    difference: diff(m.difference),
    bound
  };
}
function isShare(m) {
  return m.name === "error_rate" || [m.control, m.canary].every((x) => x === null || x >= 0 && x <= 1);
}
function signed(text) {
  return text.startsWith("-") ? `\u2212${text.slice(1)}` : `+${text}`;
}

export {
  metricFigures
};
