#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  metricFigures
} from "./chunk-O5XGSWUT.js";
import {
  escapeText,
  mermaidLabel
} from "./chunk-4R4NI73O.js";
import {
  count,
  plural
} from "./chunk-PLTLF5OP.js";
import "./chunk-I573FD7B.js";

// src/engine/report/canary-markdown.ts
var DECISION_LABEL = { rollback: "\u{1F534} rollback", advance: "\u{1F7E2} advance", promote: "\u{1F7E2} promote", hold: "\u23F8\uFE0F hold" };
function renderCanaryMarkdown(report) {
  const lines = [`## promptgate canary check: ${report.result === "pass" ? "pass" : "FAIL"}`, ""];
  if (report.prompts.length === 0) lines.push("No prompt has an active canary in the release manifest.", "");
  else {
    lines.push("| Prompt | Decision | Step | Calls (control / canary) | SRM p |", "| --- | --- | --- | --- | --- |");
    for (const p of report.prompts) {
      const srm = `${p.srm_p.toPrecision(2)}${p.srm_alarm ? " \u26A0\uFE0F" : ""}`;
      lines.push(
        `| ${escapeText(p.prompt)} | ${decisionCell(p)} | ${p.step} (${p.weight}%) | ${count(p.arms.control.calls)} / ${count(p.arms.canary.calls)} | ${srm} |`
      );
    }
    lines.push("");
    if (report.applied) lines.push("_The decisions were written to the release manifest._", "");
  }
  for (const p of report.prompts) lines.push(...promptSection(p));
  const e = report.events;
  lines.push(
    `Events: ${plural(e.events, "event")} from ${plural(e.files.length, "file")}` + (e.malformed ? `; ${plural(e.malformed, "malformed line")} skipped:` : ".")
  );
  for (const example of e.malformed_examples) lines.push(`- ${escapeText(example, 300)}`);
  return `${lines.join("\n")}
`;
}
function decisionCell(p) {
  const next = p.decision === "advance" ? ` to ${p.next_weight}%` : "";
  return `${DECISION_LABEL[p.decision]}${next}`;
}
function promptSection(p) {
  const { control, canary } = p.arms;
  const lines = [
    `### ${escapeText(p.prompt)}: ${DECISION_LABEL[p.decision]}`,
    "",
    `Control ${escapeText(control.version)} against canary ${escapeText(canary.version)} at ${p.weight}% since ${p.started_at}.`,
    "",
    `**${escapeText(p.reason, 2e3)}**`,
    ""
  ];
  if (p.metrics.length > 0) {
    lines.push(
      `| Metric | Control | Canary | Difference | Always-valid bound (\u03B1 ${p.alpha_per_test.toPrecision(2)}) | Regressed |`,
      "| --- | --- | --- | --- | --- | --- |"
    );
    for (const m of p.metrics) lines.push(metricRow(m));
    lines.push("");
    if (p.metrics.some((m) => m.test === "exceedance")) {
      lines.push(
        "_Latency quantiles are compared through the share of calls slower than control\u2019s quantile (plus max_drop for the canary): difference and bound are in percentage points of that share._",
        ""
      );
    }
  }
  const ignored = Object.entries(p.ignored).filter(([, n]) => n > 0);
  if (ignored.length > 0) lines.push(`Left out: ${ignored.map(([why, n]) => `${count(n)} ${IGNORED_LABEL[why] ?? why}`).join(", ")}.`, "");
  lines.push(...charts(p));
  return lines;
}
var IGNORED_LABEL = {
  otherVersion: "of another version",
  beforeStep: "before the step began",
  noArm: "with no arm",
  future: "dated in the future (clock skew)",
  unmatchedFeedback: "feedback without its call in the window",
  duplicateCalls: "duplicate calls (a call_id already counted)"
};
function metricRow(m) {
  const f = metricFigures(m);
  const bound = m.interval === null && m.note ? escapeText(f.bound, 300) : f.bound;
  return `| ${escapeText(f.metric)} | ${f.control} | ${f.canary} | ${f.difference} | ${bound} | ${m.regressed ? "**yes**" : "no"} |`;
}
function charts(p) {
  const lines = [];
  for (const m of p.metrics) {
    const points = p.series.filter((s) => s.control[m.name] != null && s.canary[m.name] != null);
    if (points.length < 2) continue;
    const values = (arm) => points.map((s) => round(s[arm][m.name])).join(", ");
    lines.push(
      `<details><summary>${escapeText(m.name)} over time (first line control ${escapeText(p.arms.control.version)}, second canary ${escapeText(p.arms.canary.version)})</summary>`,
      "",
      "```mermaid",
      "xychart-beta",
      `  title "${mermaidLabel(m.name)}"`,
      `  x-axis [${points.map(axisLabel).join(", ")}]`,
      `  y-axis "${mermaidLabel(m.test === "exceedance" ? `${m.name} (ms)` : m.name)}"`,
      `  line [${values("control")}]`,
      `  line [${values("canary")}]`,
      "```",
      "",
      "</details>",
      ""
    );
  }
  return lines;
}
function axisLabel(point) {
  return `"${mermaidLabel(`${point.at.slice(5, 10)} ${point.at.slice(11, 13)}h`)}"`;
}
function round(x) {
  return Number(x.toPrecision(4));
}
export {
  renderCanaryMarkdown
};
