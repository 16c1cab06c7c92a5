#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  htmlPage,
  intervalChart
} from "./chunk-7E3XTAGD.js";
import {
  caseKindOf
} from "./chunk-LYKUXWWT.js";
import {
  escapeHtml
} from "./chunk-4R4NI73O.js";
import {
  count,
  duration,
  interval,
  pct,
  plural,
  pp,
  usd
} from "./chunk-PLTLF5OP.js";
import "./chunk-I573FD7B.js";

// src/engine/report/html/report.ts
var NAME_CHARS = 200;
var MESSAGE_CHARS = 2e3;
var TEXT_CHARS_MAX = 4e3;
var TEXT_CHARS_MIN = 200;
var CASE_TEXT_BUDGET = 6e6;
var KINDS = [
  { kind: "regressed", title: "regressed", open: true },
  { kind: "improved", title: "improved", open: false },
  { kind: "errored", title: "errored", open: false },
  { kind: "unchanged", title: "unchanged", open: false }
];
var FILTER_SCRIPT = `(() => {
  const bar = document.querySelector('.filters');
  bar.hidden = false;
  bar.addEventListener('click', (event) => {
    const kind = event.target.dataset && event.target.dataset.kind;
    if (!kind) return;
    for (const section of document.querySelectorAll('details.cases')) {
      section.hidden = kind !== 'all' && section.dataset.kind !== kind;
      if (kind !== 'all') section.open = !section.hidden;
    }
  });
})();`;
function renderHtmlReport(report) {
  const prompts = report.prompts.map(promptSection).join("\n");
  const body = [
    "<header>",
    "<h1>promptgate eval report</h1>",
    `<p class="meta">${meta(report)}</p>`,
    verdict(report),
    "</header>",
    overview(report),
    errors(report.errors),
    lint(report.lint),
    report.prompts.some((p) => p.details.length > 0) ? '<nav class="filters" hidden>Show cases: <button data-kind="regressed">regressed</button> <button data-kind="improved">improved</button> <button data-kind="errored">errored</button> <button data-kind="unchanged">unchanged</button> <button data-kind="all">all</button></nav>' : "",
    prompts,
    `<footer class="meta">${footer(report)}</footer>`
  ].join("\n");
  return htmlPage({ title: `promptgate: ${report.result}`, body, script: FILTER_SCRIPT });
}
function meta(report) {
  const side = (label, s) => s.ref || s.sha ? `${label} ${escapeHtml(s.ref ?? "")}${s.sha ? ` <code>${escapeHtml(s.sha.slice(0, 12))}</code>` : ""}` : null;
  return [`mode ${escapeHtml(report.mode)}`, side("production", report.base), side("this change", report.head)].filter((part) => part !== null).join(" \xB7 ");
}
function verdict(report) {
  const counts = /* @__PURE__ */ new Map();
  for (const p of report.prompts) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const statuses = [...counts].map(([status, n]) => `${count(n)} ${escapeHtml(status)}`).join(", ");
  const lintErrors = report.lint.filter((f) => f.severity === "error").length;
  const parts = [
    report.prompts.length ? `${plural(report.prompts.length, "prompt")}: ${statuses}` : "no prompt evaluated",
    lintErrors ? plural(lintErrors, "lint error") : null,
    report.errors.length ? plural(report.errors.length, "run error") : null,
    report.accepted ? "regressions accepted by label" : null
  ].filter((part) => part !== null);
  return `<div class="verdict ${report.result}" id="verdict"><strong>${report.result === "pass" ? "PASS" : "FAIL"}</strong> \xB7 ${parts.join(" \xB7 ")}</div>`;
}
function overview(report) {
  if (!report.prompts.length) return "";
  const rows = report.prompts.map(
    (p, i) => `<tr><td><a href="#prompt-${i}">${escapeHtml(p.name, NAME_CHARS)}</a></td><td>${escapeHtml(p.change)}</td><td>${versions(p)}</td><td>${badge(p.status)}</td><td>${count(p.cases.regressed.length)}</td><td>${count(p.cases.improved.length)}</td><td>${count(p.cases.errored.length)}</td></tr>`
  );
  return `<table class="overview"><thead><tr><th>Prompt</th><th>Change</th><th>Version</th><th>Status</th><th>Regressed</th><th>Improved</th><th>Errored</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
var badge = (status) => `<span class="badge ${escapeHtml(status)}">${escapeHtml(status)}</span>`;
var versions = (p) => `${escapeHtml(p.version.base ?? "\u2014", NAME_CHARS)} \u2192 ${escapeHtml(p.version.head ?? "\u2014", NAME_CHARS)}`;
function errors(list) {
  if (!list.length) return "";
  return `<h2>Run errors</h2><ul>${list.map((e) => `<li class="error">${escapeHtml(e, MESSAGE_CHARS)}</li>`).join("")}</ul>`;
}
function lint(findings) {
  if (!findings.length) return "";
  const rows = findings.map((f) => {
    const where = [f.file, f.line, f.line === void 0 ? void 0 : f.column].filter((x) => x !== void 0).join(":");
    return `<tr><td class="${f.severity}">${f.severity}</td><td><code>${escapeHtml(f.rule)}</code></td><td><code>${escapeHtml(where)}</code></td><td style="text-align:left">${escapeHtml(f.message, MESSAGE_CHARS)}</td></tr>`;
  });
  return `<h2>Lint</h2><table><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Message</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function promptSection(p, index) {
  const head = `<h2 id="prompt-${index}">${escapeHtml(p.name, NAME_CHARS)} ${badge(p.status)}</h2>`;
  const facts = [
    escapeHtml(p.change),
    versions(p),
    `model <code>${escapeHtml(p.model ?? "\u2014", NAME_CHARS)}</code>`,
    `baseline: ${escapeHtml(p.baseline.source)}`,
    `<code>${escapeHtml(p.file, NAME_CHARS)}</code>`
  ].join(" \xB7 ");
  if (p.change === "removed") return `<section>${head}<p class="meta">${facts}; removed, not evaluated.</p></section>`;
  const stats = [
    `${plural(p.samples, "sample")} (${plural(p.samples_per_case, "sample")} per case)`,
    `error rate ${pct(p.error_rate)}`,
    `latency p50 ${duration(p.latency_ms.p50)}, p95 ${duration(p.latency_ms.p95)}`,
    plural(p.usage.input_tokens + p.usage.output_tokens, "token"),
    usd(p.usage.cost_usd)
  ].join(" \xB7 ");
  return [
    "<section>",
    head,
    `<p class="meta">${facts}</p>`,
    p.error ? `<p class="error"><strong>Error:</strong> ${escapeHtml(p.error, MESSAGE_CHARS)}</p>` : "",
    p.metrics.length ? `<div class="charts">${metricTable(p.metrics)}${metricChart(p)}</div>` : "",
    `<p class="meta">${stats}</p>`,
    caseSections(p),
    "</section>"
  ].join("\n");
}
function metricTable(metrics) {
  const rows = metrics.map((m) => {
    const status = m.regressed ? "regressed" : m.below_min ? "below-min" : m.baseline === null ? "new" : "pass";
    const noise = m.likely_noise ? ` <span class="note">within noise (p = ${m.p_value?.toFixed(2)})</span>` : "";
    return `<tr><td>${escapeHtml(m.name, NAME_CHARS)}</td><td>${pct(m.baseline)}</td><td>${pct(m.candidate)}</td><td>${pp(m.delta)}</td><td>${interval(m.ci95)}</td><td>${m.p_value === null ? "\u2014" : m.p_value.toFixed(3)}</td><td>${count(m.n)}</td><td>${badge(status)}${noise}</td></tr>`;
  });
  return `<table class="metrics"><thead><tr><th>Metric</th><th>Production</th><th>This change</th><th>\u0394</th><th>95% interval</th><th>p</th><th>n</th><th>Status</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function metricChart(p) {
  const rows = p.metrics.filter((m) => m.delta !== null && m.ci95 !== null).map((m) => ({
    metric: m.name,
    delta: m.delta,
    low: m.ci95[0],
    high: m.ci95[1],
    ...m.gate.max_drop !== void 0 ? { maxDrop: m.gate.max_drop } : {},
    status: m.regressed ? "regressed" : "ok"
  }));
  if (!rows.length) return "";
  return `<figure class="intervals">${intervalChart(rows, { title: `${p.name}: change per metric` })}</figure>`;
}
function caseSections(p) {
  if (!p.details.length) return "";
  const kindOf = caseKindOf(p);
  const byKind = new Map(KINDS.map(({ kind }) => [kind, []]));
  for (const detail of p.details) byKind.get(kindOf(detail.id)).push(detail);
  const unchanged = byKind.get("unchanged").length;
  const textChars = (cases) => Math.max(TEXT_CHARS_MIN, Math.min(TEXT_CHARS_MAX, Math.floor(CASE_TEXT_BUDGET / Math.max(1, cases) / 3)));
  const changedChars = textChars(p.details.length - unchanged);
  const unchangedChars = textChars(unchanged);
  return KINDS.map(({ kind, title, open }) => {
    const cases = byKind.get(kind);
    if (!cases.length) return "";
    const chars = kind === "unchanged" ? unchangedChars : changedChars;
    return `<details class="cases" data-kind="${kind}"${open ? " open" : ""}><summary class="${kind}">${plural(cases.length, `${title} case`)}</summary>
` + cases.map((detail) => caseEntry(detail, kind, chars)).join("\n") + "\n</details>";
  }).join("\n");
}
function caseEntry(detail, kind, chars) {
  const scores = Object.entries(detail.scores).map(([metric, [base, candidate]]) => {
    const direction = base === null ? "" : candidate < base ? ' class="down"' : candidate > base ? ' class="up"' : "";
    return `<span${direction}>${escapeHtml(metric, NAME_CHARS)} ${pct(base)} \u2192 ${pct(candidate)}</span>`;
  });
  const input = JSON.stringify({ vars: detail.vars, ...detail.expected !== void 0 ? { expected: detail.expected } : {} }, null, 2);
  const side = (title, text, missing) => `<div><h4>${title}</h4>${text === void 0 ? `<p class="note">${missing}</p>` : `<pre>${escapeHtml(text, chars)}</pre>`}</div>`;
  return [
    `<article class="case ${kind}">`,
    `<header><strong>${escapeHtml(detail.id, NAME_CHARS)}</strong><span class="scores">${scores.join(" \xB7 ")}</span></header>`,
    detail.error ? `<p class="error">Error: ${escapeHtml(detail.error, MESSAGE_CHARS)}</p>` : "",
    '<div class="sides">',
    side("Input", input, ""),
    side("Production output", detail.baseline_output, "not stored"),
    side("This change's output", detail.candidate_output, "none"),
    "</div>",
    "</article>"
  ].join("");
}
function footer(report) {
  const u = report.usage;
  return [
    report.models.length ? `Models: ${report.models.map((m) => escapeHtml(m, NAME_CHARS)).join(", ")}` : null,
    plural(u.calls, "call"),
    plural(u.cached, "cache hit"),
    `${plural(u.input_tokens + u.output_tokens, "token")} (${count(u.input_tokens)} in, ${count(u.output_tokens)} out)`,
    usd(u.cost_usd),
    duration(report.duration_ms)
  ].filter((item) => item !== null).join(" \xB7 ");
}
export {
  renderHtmlReport
};
