// Escaping for text that a model or a pull request wrote (outputs, case ids, names, paths,
// messages) before it goes into the comment: no raw HTML, no links or images, no table
// breakage, no @mentions, no way out of a code block or a <details>, no forged comment marker.
// And the same text before it goes into an HTML page (escapeHtml): text, never markup.
import { count } from './format.js';

const ZERO_WIDTH_SPACE = '\u200B';
export const CODE_BLOCK_MAX_CHARS = 2000;

const INLINE_REPLACEMENTS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '@': `@${ZERO_WIDTH_SPACE}`,
};
// HTML, mentions, and the characters that start emphasis, links and images (`[`), code spans,
// strikethrough, math (`$`) and table cells; a backslash escape makes GitHub show them as is.
const INLINE_SPECIALS = /[&<>@\\`*_[\]~|$]/g;
const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;

/**
 * Text for a table cell or a line of markdown, on one line. Longer than `maxChars` (counted
 * before escaping) it is cut with an ellipsis. `#123` stays an issue reference.
 */
export function escapeText(text: string, maxChars = Infinity): string {
  return truncate(text.replace(LINE_BREAKS, ' '), maxChars).replace(INLINE_SPECIALS, (c) => INLINE_REPLACEMENTS[c] ?? `\\${c}`);
}

const HTML_REPLACEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for an HTML page, in element content or a quoted attribute value: every character that
 * could start markup, an entity or leave an attribute is replaced, so it always reads as text.
 * Longer than `maxChars` (counted before escaping) it is cut with an ellipsis.
 */
export function escapeHtml(text: string, maxChars = Infinity): string {
  return truncate(text, maxChars).replace(/[&<>"']/g, (c) => HTML_REPLACEMENTS[c]!);
}

export interface CodeBlockOptions {
  /** Info string for syntax highlighting, e.g. `json`. */
  language?: string;
  /** Longer text is cut and a note under the block says so. */
  maxChars?: number;
}

/**
 * A fenced block whose fence is longer than any backtick run inside, so nothing in the text
 * can close it; HTML inside is inert, so `</details>` cannot close a surrounding details.
 * Mentions are neutralised here too although code does not ping: the same markdown goes to
 * the job summary and the CLI, where it may be pasted into places that do, and SPEC 6 says
 * flatly "no @mentions".
 */
export function codeBlock(text: string, { language = '', maxChars = CODE_BLOCK_MAX_CHARS }: CodeBlockOptions = {}): string {
  const whole = text.replace(/\r\n?/g, '\n');
  const shown = truncate(whole, maxChars, '');
  const body = neutralise(shown);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  const block = `${fence}${language}\n${body}${body === '' || body.endsWith('\n') ? '' : '\n'}${fence}`;
  if (shown === whole) return block;
  return `${block}\n\n_(cut to ${count(shown.length)} of ${count(whole.length)} characters)_`;
}

/** A code span on one line. Not for table cells: GitHub splits cells at `|` even in code. */
export function inlineCode(text: string): string {
  const body = neutralise(text.replace(LINE_BREAKS, ' '));
  const fence = '`'.repeat(longestBacktickRun(body) + 1);
  // A span that starts or ends with a backtick needs a space so the fence stays separate.
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Inside code: break mentions and `<!--`, so the text can neither ping nor forge the comment marker. */
function neutralise(text: string): string {
  return text.replaceAll('@', `@${ZERO_WIDTH_SPACE}`).replaceAll('<!--', `<!${ZERO_WIDTH_SPACE}--`);
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** At most `maxChars` UTF-16 units including the ellipsis, never splitting a surrogate pair. */
function truncate(text: string, maxChars: number, ellipsis = '…'): string {
  if (text.length <= maxChars) return text;
  let cut = text.slice(0, Math.max(0, maxChars - ellipsis.length));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ellipsis;
}

/**
 * Text for a mermaid diagram's quoted label (chart titles, axis labels): only letters,
 * digits, spaces and `_.:%+-/` survive, so nothing can end the quote, start a directive or
 * reach the markdown around the code block.
 */
export function mermaidLabel(text: string, maxChars = 60): string {
  return truncate(
    text
      .replace(/[^\p{L}\p{N} _.:%+\-/]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    maxChars,
  );
}
