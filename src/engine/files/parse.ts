import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
import type { Finding } from '../types.js';
import { invalid } from './finding.js';

export type KeyPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export function dottedKey(path: KeyPath): string | undefined {
  return path.length ? path.join('.') : undefined;
}

/**
 * A parsed YAML or JSON file that can say where any key path is written, so every problem
 * found later (schema, references) points at a line, a column and a key.
 */
export class StructuredFile {
  private yamlDoc?: Document;
  private lineCounter = new LineCounter();

  constructor(
    readonly file: string,
    private readonly text: string,
    readonly value: unknown,
    /** Lines before `text` in the file: a JSONL line is parsed on its own. */
    private readonly lineOffset: number,
    doc?: Document,
    lineCounter?: LineCounter,
  ) {
    this.yamlDoc = doc;
    if (lineCounter) this.lineCounter = lineCounter;
  }

  /** Parses by extension: `.json` and `.jsonl` lines as JSON, anything else as YAML. */
  static parse(file: string, text: string, lineOffset = 0): { parsed?: StructuredFile; findings: Finding[] } {
    return /\.jsonl?$/i.test(file) ? parseJson(file, text, lineOffset) : parseYaml(file, text, lineOffset);
  }

  /** Position of the node at `path`, or of the nearest enclosing node that exists. */
  position(path: KeyPath): Position {
    for (let n = path.length; n >= 0; n--) {
      const node = this.nodeAt(path.slice(0, n));
      if (isNode(node) && node.range) return this.positionAt(node.range[0]);
    }
    return { line: this.lineOffset + 1, column: 1 };
  }

  /** Position of the key `key` itself in the mapping at `path` (where an unknown key is written). */
  keyPosition(path: KeyPath, key: string): Position {
    const map = this.nodeAt(path);
    if (isMap(map)) {
      const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (isNode(pair?.key) && pair.key.range) return this.positionAt(pair.key.range[0]);
    }
    return this.position([...path, key]);
  }

  /** Line where the text of the scalar at `path` starts (a block scalar starts below its `|`). */
  textLine(path: KeyPath): number {
    const node = this.nodeAt(path);
    const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
    return this.position(path).line + (block ? 1 : 0);
  }

  /** The source text of a plain scalar, e.g. `1.0` where YAML reads the number 1. */
  plainSource(path: KeyPath): string | undefined {
    const node = this.nodeAt(path);
    return isScalar(node) && node.type === 'PLAIN' ? node.source : undefined;
  }

  /** An `invalid-file` finding at `path`; the message starts with the key it is about. */
  findingAt(path: KeyPath, message: string, position = this.position(path)): Finding {
    const key = dottedKey(path);
    return invalid({ file: this.file, ...position, key }, key ? `${key}: ${message}` : message);
  }

  private nodeAt(path: KeyPath): unknown {
    const doc = this.doc();
    return path.length ? doc.getIn(path, true) : doc.contents;
  }

  private doc(): Document {
    // JSON values come from JSON.parse; the YAML document is built only when a position is asked for.
    this.yamlDoc ??= parseDocument(this.text, { lineCounter: this.lineCounter, prettyErrors: false });
    return this.yamlDoc;
  }

  private positionAt(offset: number): Position {
    this.doc();
    const { line, col } = this.lineCounter.linePos(offset);
    return { line: line + this.lineOffset, column: col };
  }
}

function parseYaml(file: string, text: string, lineOffset: number): { parsed?: StructuredFile; findings: Finding[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  // Later errors are mostly echoes of the first one.
  const error = doc.errors[0];
  if (error?.code === 'DUPLICATE_KEY') return { findings: [duplicateKey(file, text, error.pos[0], lineCounter, lineOffset)] };
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return {
      findings: [
        invalid(
          { file, line: line + lineOffset, column: col },
          `not valid YAML: ${lowerFirst(error.message)} (line ${line + lineOffset}, column ${col}); fix the syntax there`,
        ),
      ],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // e.g. an alias bomb ("Excessive alias count").
    return { findings: [invalid({ file, line: lineOffset + 1, column: 1 }, `cannot read the YAML: ${(err as Error).message}`)] };
  }
  return { parsed: new StructuredFile(file, text, value, lineOffset, doc, lineCounter), findings: [] };
}

/** The YAML parser says only "Map keys must be unique": name the key and where it repeats. */
function duplicateKey(file: string, text: string, offset: number, lineCounter: LineCounter, lineOffset: number): Finding {
  const raw = /^(?:"([^"]*)"|'([^']*)'|([^:\n]*?))\s*:/
    .exec(text.slice(offset))
    ?.slice(1)
    .find((k) => k !== undefined);
  const key = raw?.trim() || text.slice(offset).split('\n')[0]!.trim();
  const { line, col } = lineCounter.linePos(offset);
  const at = { line: line + lineOffset, column: col };
  return invalid(
    { file, ...at, key },
    `duplicate key "${key}" (line ${at.line}, column ${at.column}): a key may appear once in a mapping; keep one of them`,
  );
}

function parseJson(file: string, text: string, lineOffset: number): { parsed?: StructuredFile; findings: Finding[] } {
  try {
    return { parsed: new StructuredFile(file, text, JSON.parse(text) as unknown, lineOffset), findings: [] };
  } catch (err) {
    const reason = cleanJsonError((err as Error).message);
    const { line, column } = positionIn(text, jsonErrorOffset(text, (err as Error).message));
    const at = { line: line + lineOffset, column };
    return {
      findings: [invalid({ file, ...at }, `not valid JSON: ${reason} (line ${at.line}, column ${at.column}); fix the syntax there`)],
    };
  }
}

/** V8 gives "at position N" for some errors only; otherwise find the shortest prefix that fails. */
function jsonErrorOffset(text: string, message: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  if (/end of JSON input/.test(message)) return text.trimEnd().length;
  // Invariant: text.slice(0, good) only lacks an ending; text.slice(0, bad) holds the error.
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (failsWithin(text.slice(0, mid))) bad = mid;
    else good = mid;
  }
  return bad - 1;
}

/** Whether a prefix of a JSON text fails for a reason other than ending too early. */
function failsWithin(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    return !/end of JSON input/.test(message) && !(at && Number(at[1]) >= prefix.length);
  }
}

function cleanJsonError(message: string): string {
  // Drop V8's echo of the input (`, "{...}" is not valid JSON`) and its position suffix.
  return lowerFirst(
    message
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ at position \d+.*$/s, ''),
  );
}

export function positionIn(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
