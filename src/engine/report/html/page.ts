// The shell every HTML page shares: one self-contained document (styles and charts inline, no
// network), readable without JavaScript. A Content-Security-Policy allows no request at all and
// no script but the page's own (by hash), so even markup that slipped past escaping stays inert.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../escape.js';

export interface PageOptions {
  title: string;
  /** Already-escaped markup. */
  body: string;
  /** Optional enhancement the page works without (filters); our own code, never content. */
  script?: string;
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bad: #d1242f; --good: #1a7f37; --warn: #9a6700; --bg2: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0 auto; padding: 24px; max-width: 1280px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } th { background: var(--bg2); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; border: 1px solid currentColor; }
.pass, .new, .advance, .promote { color: var(--good); } .fail, .regressed, .error, .errored, .rollback, .below-min { color: var(--bad); }
.improved { color: var(--good); } .hold, .removed, .unchanged { color: var(--muted); }
.verdict { font-size: 18px; padding: 10px 14px; border-radius: 6px; background: var(--bg2); border-left: 6px solid currentColor; margin: 12px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .charts figure { margin: 0; }
figure h2 { font-size: 13px; border: none; margin: 0 0 4px; padding: 0; }
details { margin: 6px 0; } details > summary { cursor: pointer; font-weight: 600; }
.case { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 8px; content-visibility: auto; contain-intrinsic-size: auto 160px; }
.case header { display: flex; gap: 12px; flex-wrap: wrap; align-items: baseline; margin-bottom: 6px; }
.sides { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px; }
.sides h4 { margin: 0 0 2px; font-size: 12px; color: var(--muted); font-weight: 600; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg2); padding: 6px; border-radius: 4px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; max-height: 24em; overflow: auto; }
.scores { font-variant-numeric: tabular-nums; color: var(--muted); }
.down { color: var(--bad); } .up { color: var(--good); }
.filters { margin: 12px 0; display: flex; gap: 8px; } .filters[hidden] { display: none; } .filters button { font: inherit; padding: 2px 10px; }
.note { color: var(--muted); font-style: italic; }
`;

/** A complete HTML document. */
export function htmlPage({ title, body, script }: PageOptions): string {
  const scriptSource = script ? `script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'` : "script-src 'none'";
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; ${scriptSource}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    script ? `<script>${script}</script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
