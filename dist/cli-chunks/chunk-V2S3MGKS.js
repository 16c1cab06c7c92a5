#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/engine/report/html/write.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
async function writeHtmlReport(file, report) {
  const { renderHtmlReport } = await import("./report-UUCROVJW.js");
  await writePage(file, renderHtmlReport(report));
}
async function writeDashboard(file, data) {
  const { renderDashboard } = await import("./dashboard-6OZ7CYLD.js");
  await writePage(file, renderDashboard(data));
}
async function writePage(file, html) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, html);
}

export {
  writeHtmlReport,
  writeDashboard
};
