// Edits the release manifest the way a person would: the lines that change and nothing
// else. Positions come from the `yaml` package's Document (its node ranges); each edit
// splices the file's text there, so comments, blank lines, key order, alignment and flow
// style everywhere else stay byte for byte (a promotion is a one-line diff in the PR).
import { isMap, isScalar, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';
import type { CanarySpec } from '../types.js';

type Path = readonly string[];
type Scalar = string | number | boolean;

/** Keys whose mappings read best on one line, as in SPEC 10.1 (`enterprise: { production: 2.0.3 }`). */
const FLOW_MAPPINGS_UNDER = new Set(['segments', 'metrics']);

export class ManifestEditor {
  private constructor(
    private text: string,
    private readonly file: string,
  ) {}

  /** Starts from the manifest's current text (undefined: the file does not exist yet). */
  static open(text: string | undefined, file: string): ManifestEditor {
    const editor = new ManifestEditor(text ?? '', file);
    editor.document(); // refuse a file that does not parse before any edit
    return editor;
  }

  toString(): string {
    return this.text;
  }

  /** Points `label` (of `segment` when given) of prompt `name` at `version`. */
  setLabel(name: string, label: string, version: string, segment?: string): void {
    this.set(segment ? [name, 'segments', segment, label] : [name, 'labels', label], version);
  }

  /** Removes the prompt's canary; a no-op when it has none. */
  removeCanary(name: string): void {
    this.delete([name, 'canary']);
  }

  /** Writes the fields of `canary` that are given; a canary's other fields stay as written. */
  setCanary(name: string, canary: Partial<CanarySpec>): void {
    for (const [key, value] of Object.entries(canary)) {
      if (value !== undefined) this.set([name, 'canary', key], value);
    }
  }

  /** Sets the value at `path`, creating the mappings on the way. */
  set(path: Path, value: unknown): void {
    const doc = this.document();
    const existing = doc.getIn(path, true) as Node | undefined;
    if (isScalar(existing) && existing.range && isScalarValue(value)) {
      const [start, end] = existing.range;
      const quoted = typeof value === 'string' && (existing.type === 'QUOTE_DOUBLE' || existing.type === 'QUOTE_SINGLE');
      // Keep the quotes a person chose; otherwise write it the way YAML reads it back.
      this.splice(start, end, quoted ? JSON.stringify(value) : renderScalar(value, this.inFlow(doc, path)));
      return;
    }
    if (existing !== undefined) this.delete(path);
    this.insert(path, value);
  }

  /** Removes the key at `path` with its value; a no-op when it is absent. */
  delete(path: Path): void {
    const doc = this.document();
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (!isMap(parent)) return;
    const pair = findPair(parent, path.at(-1)!);
    if (!pair) return;
    if (parent.flow) {
      parent.delete(path.at(-1)!);
      this.replaceNode(parent, parent.toJSON(), true);
      return;
    }
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    const end = value?.range ? value.range[1] : key.range![1];
    this.splice(lineStart(this.text, key.range![0]), lineEnd(this.text, end), '');
  }

  private insert(path: Path, value: unknown): void {
    const doc = this.document();
    // The deepest mapping on the path that exists; everything below it is new.
    let depth = path.length - 1;
    let parent: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    while (depth > 0 && !isMap(parent)) {
      depth--;
      parent = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    }
    const key = path[depth]!;
    const nested = nest(path.slice(depth + 1), value);
    if (depth === 0 && !isMap(parent)) {
      if (doc.contents && !isEmptyScalar(doc.contents)) {
        throw new UserError(`${this.file} is not a mapping of prompt names; fix it before editing it with promptgate`);
      }
      // Only comments (or nothing) so far: the new entry goes after them.
      const body = renderPair(key, nested, 0, [key]);
      this.text = this.text === '' || this.text.endsWith('\n') ? this.text + body : `${this.text}\n${body}`;
      return;
    }
    const map = parent as YAMLMap;
    if (findPair(map, key)) {
      // `labels:` left empty (or holding a scalar) gives way to the mapping being written.
      this.delete(path.slice(0, depth + 1));
      this.insert(path, value);
      return;
    }
    if (map.flow) {
      map.set(key, doc.createNode(nested));
      this.replaceNode(map, map.toJSON(), true);
      return;
    }
    const indent = map.items.length ? column(this.text, (map.items[0]!.key as Node).range![0]) : 0;
    const last = map.items.at(-1);
    const after = last ? lineEnd(this.text, ((last.value as Node | null) ?? (last.key as Node)).range![1]) : this.text.length;
    const body = renderPair(key, nested, indent, path.slice(0, depth + 1));
    const prefix = after > 0 && this.text[after - 1] !== '\n' ? '\n' : '';
    this.splice(after, after, prefix + body);
  }

  private replaceNode(node: Node, value: unknown, flow: boolean): void {
    const [start, end] = node.range!;
    this.splice(start, end, stringify(value, { collectionStyle: flow ? 'flow' : 'block', lineWidth: 0 }).trimEnd());
  }

  private inFlow(doc: Document, path: Path): boolean {
    const parent = doc.getIn(path.slice(0, -1), true);
    return isMap(parent) && Boolean(parent.flow);
  }

  private splice(start: number, end: number, insert: string): void {
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
  }

  private document(): Document {
    const doc = parseDocument(this.text, { prettyErrors: false });
    const error = doc.errors[0];
    if (error) throw new UserError(`${this.file} is not valid YAML (${error.message}); fix it before editing it with promptgate`);
    return doc;
  }
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
}

function isScalarValue(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && (node.value === null || node.value === '');
}

function nest(path: Path, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** A scalar as YAML reads it back: plain where that is unambiguous (`2.2.0`), quoted otherwise (`"2.0"`). */
function renderScalar(value: Scalar, inFlow: boolean): string {
  const text = stringify(value).trimEnd();
  return inFlow && typeof value === 'string' && /[,[\]{}]/.test(text) && !text.startsWith('"') ? JSON.stringify(value) : text;
}

/** `key: value` at `indent` spaces, mappings as blocks except those that read best on one line. */
function renderPair(key: string, value: unknown, indent: number, path: Path): string {
  const pad = ' '.repeat(indent);
  const head = `${pad}${renderScalar(key, false)}:`;
  if (isScalarValue(value)) return `${head} ${renderScalar(value, false)}\n`;
  if (Array.isArray(value) || FLOW_MAPPINGS_UNDER.has(path.at(-2) ?? '')) {
    return `${head} ${stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd()}\n`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return head + '\n' + entries.map(([k, v]) => renderPair(k, v, indent + 2, [...path, k])).join('');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the line holding `offset` (a block's range already ends there). */
function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}
