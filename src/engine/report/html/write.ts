import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DashboardData } from '../../dashboard/build.js';
import type { Report } from '../../types.js';

/**
 * The HTML pages, written to `file` (absolute), creating its folder. The renderers and their
 * chart library load only here, so runs that write no HTML never pay for them.
 */
export async function writeHtmlReport(file: string, report: Report): Promise<void> {
  const { renderHtmlReport } = await import('./report.js');
  await writePage(file, renderHtmlReport(report));
}

export async function writeDashboard(file: string, data: DashboardData): Promise<void> {
  const { renderDashboard } = await import('./dashboard.js');
  await writePage(file, renderDashboard(data));
}

async function writePage(file: string, html: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, html);
}
