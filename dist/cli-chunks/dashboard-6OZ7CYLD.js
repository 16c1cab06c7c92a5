#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  htmlPage,
  lineChart
} from "./chunk-7E3XTAGD.js";
import {
  metricFigures
} from "./chunk-O5XGSWUT.js";
import {
  escapeHtml
} from "./chunk-4R4NI73O.js";
import {
  count,
  pct,
  plural,
  usd
} from "./chunk-PLTLF5OP.js";
import "./chunk-I573FD7B.js";

// src/engine/report/html/dashboard.ts
var NAME_CHARS = 200;
function renderDashboard(data) {
  const events = data.events;
  const body = [
    "<header>",
    "<h1>promptgate dashboard</h1>",
    `<p class="meta">generated ${escapeHtml(data.generated_at)} \xB7 ${plural(data.prompts.length, "prompt")}${events ? ` \xB7 ${plural(events.events, "event")} from ${plural(events.files.length, "file")}${events.malformed ? `, ${count(events.malformed)} malformed lines skipped` : ""}${duplicatesNote(data)}${feedbackNote(data)}` : " \xB7 no events given (--events GLOB)"}</p>`,
    "</header>",
    data.problems.length ? `<h2>Problems</h2><ul>${data.problems.map((p) => `<li class="error">${escapeHtml(p, 2e3)}</li>`).join("")}</ul>` : "",
    data.prompts.length ? `<nav><p>${data.prompts.map((p, i) => `<a href="#prompt-${i}">${escapeHtml(p.name, NAME_CHARS)}</a>`).join(" \xB7 ")}</p></nav>` : "<p>No prompts, releases or events found.</p>",
    ...data.prompts.map((p, i) => promptSection(p, i, data.generated_at))
  ].join("\n");
  return htmlPage({ title: "promptgate dashboard", body });
}
function duplicatesNote({ duplicate_calls: duplicates }) {
  return duplicates ? ` \xB7 ${plural(duplicates, "repeated delivery", "repeated deliveries")} of a call counted once` : "";
}
function feedbackNote({ feedback }) {
  if (!feedback || feedback.joined + feedback.unmatched === 0) return "";
  const left = feedback.unmatched ? ` (${count(feedback.unmatched)} left out: no call with their call_id in these events, or it errored)` : "";
  return ` \xB7 ${plural(feedback.joined, "feedback event")} joined to their calls${left}`;
}
function promptSection(p, index, generatedAt) {
  return [
    "<section>",
    `<h2 id="prompt-${index}">${escapeHtml(p.name, NAME_CHARS)}</h2>`,
    canaryLine(p, generatedAt),
    versionTable(p),
    releaseChart(p),
    usageCharts(p),
    usageTables(p),
    "</section>"
  ].join("\n");
}
function canaryLine(p, generatedAt) {
  const c = p.canary;
  if (!c) return '<p class="meta">No canary running.</p>';
  const weight = c.steps[c.step];
  const line = `<p class="canary"><strong>Canary</strong> ${escapeHtml(c.version, NAME_CHARS)} at step ${c.step + 1} of ${c.steps.length - 1} (${weight}% of traffic) since ${escapeHtml(c.started_at)}; steps ${escapeHtml(c.steps.join(" \u2192 "))}.</p>`;
  const check = p.canaryCheck;
  if (!check) return line;
  if ("undecided" in check) return `${line}<p class="meta"><strong>Last decision:</strong> none: ${escapeHtml(check.undecided, 2e3)}</p>`;
  return line + canaryDecision(check.report, generatedAt);
}
function canaryDecision(r, generatedAt) {
  const { control, canary } = r.arms;
  const next = r.decision === "advance" ? ` to ${r.next_weight}%` : "";
  const srm = r.srm_alarm ? ' <span class="badge fail">SRM alarm</span>' : "";
  const decision = `<p class="decision"><strong>Last decision</strong> <span class="badge ${r.decision}">${r.decision}${next}</span>${srm} (promptgate canary check over these events at ${escapeHtml(generatedAt)}; control ${escapeHtml(control.version, NAME_CHARS)} ${plural(control.calls, "call")}, canary ${escapeHtml(canary.version, NAME_CHARS)} ${plural(canary.calls, "call")}, SRM p = ${escapeHtml(r.srm_p.toPrecision(2))}): ${escapeHtml(r.reason, 2e3)}</p>`;
  if (r.metrics.length === 0) return decision;
  const head = [
    "Guarded metric",
    "Control",
    "Canary",
    "Difference",
    `Always-valid bound (\u03B1 ${r.alpha_per_test.toPrecision(2)})`,
    "Regressed"
  ];
  const rows = r.metrics.map((m) => {
    const f = metricFigures(m);
    const cells = [f.metric, f.control, f.canary, f.difference, f.bound].map((text) => escapeHtml(text, 300));
    cells.push(m.regressed ? '<span class="badge fail">yes</span>' : "no");
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  });
  return `${decision}<table class="canary-metrics"><thead><tr>${head.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function versionTable(p) {
  const metrics = [...new Set(p.versions.flatMap((v) => Object.keys(v.eval)))].sort();
  const head = ["Version", "Released", "Labels now", "Model", ...metrics.map((m) => `${escapeHtml(m, NAME_CHARS)} at release`), "From"];
  const rows = p.versions.map((v) => {
    const labels = v.labels.map((l) => `<span class="badge pass">${escapeHtml(l, NAME_CHARS)}</span>`).join(" ");
    const from = v.url && /^https:\/\//.test(v.url) ? `<a href="${escapeHtml(v.url)}">${escapeHtml(v.source)}</a>` : escapeHtml(v.source);
    const cells = [
      `<strong>${escapeHtml(v.version, NAME_CHARS)}</strong>${p.canary?.version === v.version ? ' <span class="badge hold">canary</span>' : ""}`,
      v.released_at ? escapeHtml(v.released_at.slice(0, 16).replace("T", " ")) : "\u2014",
      labels || "\u2014",
      v.model ? `<code>${escapeHtml(v.model, NAME_CHARS)}</code>` : "\u2014",
      ...metrics.map((m) => v.eval[m] ? pct(v.eval[m].mean) : "\u2014"),
      from
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  });
  return `<table class="versions"><thead><tr>${head.map((c) => `<th>${c}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function releaseChart(p) {
  const points = p.versions.flatMap(
    (v) => v.released_at ? Object.entries(v.eval).map(([metric, { mean }]) => ({ series: metric, date: new Date(v.released_at), value: mean })) : []
  );
  if (new Set(points.map((pt) => pt.date.getTime())).size < 2) return "";
  return `<div class="charts"><figure>${lineChart(points, { title: "Eval scores at release", unit: "score (%)", percent: true })}</figure></div>`;
}
var MEASURES = [
  { title: "Calls per day", unit: "calls", value: (d) => d.calls },
  { title: "Error rate", unit: "errors (%)", percent: true, value: (d) => d.calls ? d.errors / d.calls : null },
  { title: "Latency p95", unit: "ms", value: (d) => d.latency_p95_ms },
  { title: "Cost per day", unit: "USD", value: (d) => d.cost_usd }
];
function usageCharts(p) {
  const versions = Object.entries(p.usage);
  if (!versions.length) return '<p class="meta">No events for this prompt.</p>';
  const metrics = [...new Set(versions.flatMap(([, days]) => days.flatMap((d) => Object.keys(d.metrics))))].sort();
  const measures = [
    ...MEASURES,
    ...metrics.map((m) => ({ title: `${m} (mean)`, unit: m, value: (d) => d.metrics[m]?.mean ?? null }))
  ];
  const charts = measures.map((measure) => {
    const points = versions.flatMap(
      ([version, days]) => days.flatMap((d) => {
        const value = measure.value(d);
        return value === null ? [] : [{ series: version, date: /* @__PURE__ */ new Date(`${d.day}T00:00:00Z`), value }];
      })
    );
    return points.length ? `<figure>${lineChart(points, { title: measure.title, unit: measure.unit, percent: measure.percent ?? false })}</figure>` : "";
  });
  return `<div class="charts">${charts.join("")}</div>`;
}
function usageTables(p) {
  return Object.entries(p.usage).map(([version, days]) => {
    const metrics = [...new Set(days.flatMap((d) => Object.keys(d.metrics)))].sort();
    const calls = days.reduce((sum, d) => sum + d.calls, 0);
    const rows = days.map(
      (d) => [
        d.day,
        count(d.calls),
        d.calls ? pct(d.errors / d.calls) : "\u2014",
        d.latency_p50_ms === null ? "\u2014" : `${count(d.latency_p50_ms)} ms`,
        d.latency_p95_ms === null ? "\u2014" : `${count(d.latency_p95_ms)} ms`,
        count(d.input_tokens),
        count(d.output_tokens),
        usd(d.cost_usd),
        ...metrics.map((m) => d.metrics[m] ? d.metrics[m].mean.toFixed(3) : "\u2014")
      ].map((c) => `<td>${c}</td>`).join("")
    );
    const head = [
      "Day",
      "Calls",
      "Error rate",
      "Latency p50",
      "Latency p95",
      "Input tokens",
      "Output tokens",
      "Cost",
      ...metrics.map((m) => escapeHtml(m, NAME_CHARS))
    ];
    return `<details class="usage"><summary>${escapeHtml(version, NAME_CHARS)}: ${plural(calls, "call")} over ${plural(days.length, "day")}</summary><table><thead><tr>${head.map((c) => `<th>${c}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join("")}</tbody></table></details>`;
  }).join("\n");
}
export {
  renderDashboard
};
