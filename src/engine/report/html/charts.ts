// Static SVG charts for the HTML pages, drawn by Observable Plot on a server-side DOM
// (linkedom): no browser, no canvas, no script in the result. Labels (prompt names, versions,
// metric names) are text nodes, which the DOM serialises escaped.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

const { document } = parseHTML('<!doctype html><html><body></body></html>');
const FONT = 'system-ui, sans-serif';

/** One point of a series: a day (UTC midnight) and a value. */
export interface SeriesPoint {
  series: string;
  date: Date;
  value: number;
}

export interface LineChartOptions {
  title: string;
  /** Axis label of the values, e.g. "calls" or "error rate (%)". */
  unit: string;
  width?: number;
  height?: number;
  percent?: boolean;
}

/** A line per series over time, with dots (a single day still shows), and a legend. */
export function lineChart(points: SeriesPoint[], { title, unit, width = 460, height = 180, percent = false }: LineChartOptions): string {
  const figure = Plot.plot({
    document,
    width,
    height,
    marginLeft: 48,
    style: { fontFamily: FONT, fontSize: '11px', background: 'transparent' },
    title,
    x: { type: 'utc', label: null },
    y: { label: unit, grid: true, zero: !percent, ...(percent ? { percent: true } : {}) },
    color: { legend: true, type: 'categorical' },
    marks: [
      Plot.lineY(points, { x: 'date', y: 'value', stroke: 'series', z: 'series' }),
      Plot.dot(points, { x: 'date', y: 'value', stroke: 'series', r: 2, fill: 'series' }),
    ],
  });
  return serialise(figure);
}

export interface IntervalRow {
  metric: string;
  delta: number;
  low: number;
  high: number;
  /** The gate's allowed drop (a positive fraction), drawn as a dashed line at -max_drop. */
  maxDrop?: number;
  status: 'regressed' | 'ok';
}

/** Each metric's change in percentage points with its 95% interval as a bar, and zero marked. */
export function intervalChart(rows: IntervalRow[], { title }: { title: string }): string {
  const limits = rows.filter((r) => r.maxDrop !== undefined && r.maxDrop > 0).map((r) => ({ metric: r.metric, x: -r.maxDrop! }));
  const figure = Plot.plot({
    document,
    width: 460,
    height: 40 + rows.length * 28,
    marginLeft: 140,
    style: { fontFamily: FONT, fontSize: '11px', background: 'transparent' },
    title,
    x: { label: 'change (pp), 95% interval', percent: true, grid: true },
    y: { label: null, domain: rows.map((r) => r.metric) },
    color: { domain: ['ok', 'regressed'], range: ['#3b7dd8', '#d1242f'] },
    marks: [
      Plot.ruleX([0], { stroke: '#888' }),
      Plot.barX(rows, { y: 'metric', x1: 'low', x2: 'high', fill: 'status', fillOpacity: 0.35, insetTop: 6, insetBottom: 6 }),
      Plot.tickX(limits, { y: 'metric', x: 'x', stroke: '#d1242f', strokeDasharray: '3,2' }),
      Plot.dot(rows, { y: 'metric', x: 'delta', fill: 'status', r: 4 }),
    ],
  });
  return serialise(figure);
}

/** Plot returns a DOM node of linkedom's document; its markup is the chart. */
function serialise(node: { outerHTML: string }): string {
  return node.outerHTML;
}
