import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Report } from '../../types.js';

/**
 * Writes the HTML report to `file` (absolute), creating its folder. The renderer and its chart
 * library load only here, so runs that write no HTML never pay for them.
 */
export async function writeHtmlReport(file: string, report: Report): Promise<void> {
  const { renderHtmlReport } = await import('./report.js');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderHtmlReport(report));
}
