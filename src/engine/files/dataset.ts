import { canonicalJson, sha256 } from '../artifact/hash.js';
import type { FileSource } from '../git/source.js';
import type { Case, CaseList, Finding } from '../types.js';
import type { Loaded } from './context.js';
import { invalid } from './finding.js';
import { issueFindings } from './issues.js';
import { StructuredFile, type KeyPath } from './parse.js';
import { MAX_DATASET_BYTES, readStructured, readUtf8 } from './read.js';
import { MAX_SAMPLES_PER_SUITE, caseSchema } from './schemas.js';
import { SpilledText } from './spilled-text.js';
import { isUtf8 } from 'node:buffer';

export const DATASET_EXTENSIONS = ['.jsonl', '.json', '.yaml', '.yml'];

/** A broken dataset of 50,000 lines should not become 50,000 annotations. */
const MAX_FINDINGS_PER_FILE = 20;

/** Stable id of a case without one: the same content always gets the same id. */
export function stableCaseId(vars: Record<string, unknown>, expected: unknown): string {
  return `c-${sha256(canonicalJson({ vars, expected })).slice(0, 10)}`;
}

/** Where a JSON Lines case finds its line again, by byte offsets: its dataset's bytes, or their spilled copy. */
type DatasetBytes = Buffer | SpilledText;

/** A JSON Lines dataset of more bytes waits in a temporary file (SpilledText) while the run lasts. */
const SPILL_OVER_BYTES = 32 * 1024 * 1024;

/**
 * Datasets already parsed in a run, by path and content: the base commit's copy of a dataset
 * the change left alone is the same cases, and parsing 50,000 of them takes a while.
 */
export class DatasetMemo {
  private readonly parsed = new Map<string, { matches: (other: Buffer) => boolean; result: Loaded<CaseList> }>();

  /** `spillOverBytes`: a JSON Lines dataset of more bytes is kept in a temporary file. */
  constructor(private readonly spillOverBytes = SPILL_OVER_BYTES) {}

  /** A dataset's cases from its bytes (UTF-8, checked by readUtf8). */
  parse(file: string, bytes: Buffer): Loaded<CaseList> {
    const known = this.parsed.get(file);
    if (known?.matches(bytes)) return known.result;
    if (!file.toLowerCase().endsWith('.jsonl')) {
      // Known by digest, so as not to hold the text as well as its cases.
      const digest = sha256(bytes);
      const result = jsonCases(file, new TextDecoder().decode(bytes));
      this.parsed.set(file, { matches: (other) => sha256(other) === digest, result });
      return result;
    }
    // A JSON Lines dataset's cases hold its bytes (or their spilled copy) anyway, and comparing
    // bytes is faster than hashing them.
    const kept = (bytes.length > this.spillOverBytes && SpilledText.of(bytes)) || bytes;
    return this.remember(file, kept, jsonlCases(file, [{ bytes, at: 0 }], kept));
  }

  /**
   * A large JSON Lines dataset of the working tree, copied to a temporary file and read a block
   * at a time: never whole in memory. Undefined when `src` cannot, the file is not that large,
   * or it is not UTF-8 (read it whole then, for the finding that says where).
   */
  parseOnDisk(src: FileSource, file: string): Loaded<CaseList> | undefined {
    const copy = src.copyLarge?.(file, this.spillOverBytes, MAX_DATASET_BYTES.bytes);
    if (!copy) return undefined;
    let utf8 = true;
    const blocks = function* () {
      for (const block of copy.blocks(NEWLINE)) {
        if (!(utf8 = isUtf8(block.bytes))) return;
        yield block;
      }
    };
    const result = jsonlCases(file, blocks(), copy);
    return utf8 ? this.remember(file, copy, result) : undefined;
  }

  private remember(file: string, kept: DatasetBytes, result: Loaded<CaseList>): Loaded<CaseList> {
    this.parsed.set(file, { matches: (other) => kept.equals(other), result });
    return result;
  }
}

/** Loads a dataset file (repo-relative path with one of DATASET_EXTENSIONS). */
export function loadDataset(src: FileSource, file: string, memo = new DatasetMemo()): Loaded<CaseList> {
  const lower = file.toLowerCase();
  if (!lower.endsWith('.jsonl') && !lower.endsWith('.json')) {
    const read = readStructured(src, file, MAX_DATASET_BYTES);
    if (!read.value) return { findings: read.findings, missing: read.missing };
    return casesFromList(read.value, read.value.value, []);
  }
  const onDisk = lower.endsWith('.jsonl') ? memo.parseOnDisk(src, file) : undefined;
  if (onDisk) return onDisk;
  const read = readUtf8(src, file, MAX_DATASET_BYTES);
  if ('missing' in read) return { findings: [], missing: true };
  if ('finding' in read) return { findings: [read.finding] };
  return memo.parse(file, read.bytes);
}

function jsonCases(file: string, text: string): Loaded<CaseList> {
  const { parsed, findings } = StructuredFile.parse(file, text);
  if (!parsed) return { findings };
  // A YAML document of a large JSON array is slow and heavy; the lines of its items are cheap to find.
  return casesFromList(parsed, parsed.value, [], Array.isArray(parsed.value) ? jsonArrayItemLines(text) : undefined);
}

/**
 * Cases written as a list at `prefix` of `parsed` (a JSON/YAML dataset, or inline `cases:`).
 * `lines` gives each item's line when already known.
 */
export function casesFromList(parsed: StructuredFile, items: unknown, prefix: KeyPath, lines?: number[]): Loaded<CaseList> {
  if (!Array.isArray(items)) {
    return { findings: [parsed.findingAt(prefix, 'expected a list of cases ({id?, vars, expected?, tags?}); write the cases as a list')] };
  }
  const collector = new CaseCollector(parsed.file);
  const cases: Case[] = [];
  items.forEach((item, i) => {
    const path = [...prefix, i];
    const line = lines?.[i] ?? parsed.position(path).line;
    const accepted = collector.accept(item, line, () => ({ parsed, path }));
    if (accepted) cases.push({ ...accepted, file: parsed.file, line });
  });
  return collector.result(cases, () => parsed.findingAt(prefix, 'no cases; add at least one'));
}

/**
 * JSON Lines: each line is decoded and parsed on its own, never the whole text at once, and
 * kept as its place in `kept`, the bytes or their spilled copy (see JsonLineCases); a YAML
 * document is built only for a line with a problem.
 */
function jsonlCases(file: string, blocks: Iterable<{ bytes: Buffer; at: number }>, kept: DatasetBytes): Loaded<CaseList> {
  const collector = new CaseCollector(file);
  const cases = new JsonLineCases(kept, file);
  let index = 0;
  // Each block holds whole lines, and starts at byte `at` of the dataset.
  for (const { bytes, at } of blocks) {
    const byteOrderMark = at === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    for (let start = byteOrderMark ? 3 : 0; start < bytes.length && !collector.full; index++) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      // A CRLF line keeps its \r, which JSON and the trim below read as whitespace.
      const line = bytes.toString('utf8', start, end);
      const place = { start: at + start, end: at + end };
      start = end + 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        collector.reject(StructuredFile.parse(file, line, index).findings);
        continue;
      }
      const accepted = collector.accept(value, index + 1, () => ({ parsed: StructuredFile.parse(file, line, index).parsed!, path: [] }));
      if (accepted) cases.add(accepted.id, place, index + 1);
    }
  }
  return collector.result(cases.trim(), () => invalid({ file, line: 1, column: 1 }, `${file} has no cases; add one JSON object per line`));
}

const NEWLINE = 0x0a;

/** Line of each item of the top-level array of a JSON text that JSON.parse accepted. */
function jsonArrayItemLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (expectItem && ch !== ']') lines.push(line);
    expectItem = false;
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') expectItem = ++depth === 1 && ch === '[';
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',') expectItem = depth === 1;
  }
  return lines;
}

/** A case's line: the byte offsets where it starts and ends in its dataset. */
interface LineAt {
  start: number;
  end: number;
}

/**
 * The valid cases of a JSON Lines dataset, kept as the places of their lines: each case's id
 * (UTF-8) and its line's offsets and number in columns outside V8's heap (~20 bytes a case;
 * an object per case took ~105 bytes of heap, 50 MB at 500,000 cases). The dataset's bytes are
 * held once, outside the heap too, or spilled to a temporary file. A case read by position is
 * a view made for the moment it is read; every read of its vars, expected or tags reads and
 * parses its line again: a few microseconds per sample beside a model call, and nothing held
 * between samples. Each line was validated at load, so it parses to exactly the case (the
 * schema is strict and transforms nothing).
 */
class JsonLineCases implements CaseList {
  private count = 0;
  // The dataset is at most 200 MiB, so offsets and line numbers fit 32 bits.
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  /** The ids' UTF-8 bytes one after another, outside V8's heap (a string each cost ~32 bytes of heap a case); case i's end at idEnds[i]. */
  private idBytes: Buffer = Buffer.alloc(16 * 1024);
  private idEnds = new Uint32Array(1024);
  /** The rare id UTF-8 cannot hold (a lone surrogate, from a JSON escape), by position. */
  private readonly unencodable = new Map<number, string>();

  constructor(
    private readonly bytes: DatasetBytes,
    readonly file: string,
  ) {}

  get length(): number {
    return this.count;
  }

  add(id: string, { start, end }: LineAt, line: number): void {
    const i = this.count;
    if (i === this.starts.length) this.resize(2 * i);
    this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    const idStart = i === 0 ? 0 : this.idEnds[i - 1]!;
    const size = Buffer.byteLength(id);
    if (idStart + size > this.idBytes.length) this.idBytes = resizedBuffer(this.idBytes, idStart, 2 * (idStart + size));
    this.idEnds[i] = idStart + this.idBytes.write(id, idStart);
    if (SURROGATE.test(id) && this.idAt(i) !== id) this.unencodable.set(i, id);
  }

  /** Once every case is added: the columns shrink to the cases (growing by doubling left up to half of them empty). */
  trim(): this {
    this.resize(this.length);
    const used = this.length === 0 ? 0 : this.idEnds[this.length - 1]!;
    this.idBytes = resizedBuffer(this.idBytes, used, used);
    return this;
  }

  /** As an array's `at`: a negative position counts from the end. */
  at(position: number): Case | undefined {
    const i = position < 0 ? position + this.length : position;
    return Number.isInteger(i) && i >= 0 && i < this.length ? new JsonLineCase(this, i) : undefined;
  }

  *[Symbol.iterator](): Iterator<Case> {
    for (let position = 0; position < this.length; position++) yield new JsonLineCase(this, position);
  }

  idAt(position: number): string {
    const start = position === 0 ? 0 : this.idEnds[position - 1]!;
    return this.unencodable.get(position) ?? this.idBytes.toString('utf8', start, this.idEnds[position]!);
  }

  lineAt(position: number): number {
    return this.lines[position]!;
  }

  parsedAt(position: number): Pick<Case, 'vars' | 'expected' | 'tags'> {
    const { bytes } = this;
    const [start, end] = [this.starts[position]!, this.ends[position]!];
    const line = bytes instanceof SpilledText ? bytes.slice(start, end) : bytes.toString('utf8', start, end);
    return JSON.parse(line) as Pick<Case, 'vars' | 'expected' | 'tags'>;
  }

  private resize(size: number): void {
    const resized = (column: Uint32Array) => {
      const next = new Uint32Array(size);
      next.set(column.subarray(0, Math.min(size, this.length)));
      return next;
    };
    this.starts = resized(this.starts);
    this.ends = resized(this.ends);
    this.lines = resized(this.lines);
    this.idEnds = resized(this.idEnds);
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** A buffer of `size` bytes holding the first `used` bytes of `bytes`. */
function resizedBuffer(bytes: Buffer, used: number, size: number): Buffer {
  const next = Buffer.allocUnsafe(size);
  bytes.copy(next, 0, 0, used);
  return next;
}

/** A case of JsonLineCases, read through its list. */
class JsonLineCase implements Case {
  constructor(
    private readonly list: JsonLineCases,
    private readonly position: number,
  ) {}

  get id(): string {
    return this.list.idAt(this.position);
  }

  get file(): string {
    return this.list.file;
  }

  get line(): number {
    return this.list.lineAt(this.position);
  }

  get vars(): Record<string, unknown> {
    return this.list.parsedAt(this.position).vars;
  }

  get expected(): unknown {
    return this.list.parsedAt(this.position).expected;
  }

  get tags(): string[] | undefined {
    return this.list.parsedAt(this.position).tags;
  }
}

/** A case as its collector accepted it: valid, with its id. */
type AcceptedCase = Omit<Case, 'file' | 'line'>;

/** Validates cases, gives each its id and refuses duplicate ids; the caller keeps the cases it accepts. */
class CaseCollector {
  private readonly findings: Finding[] = [];
  private readonly firstLine = new Map<string, number>();

  constructor(private readonly file: string) {}

  /** Over the most cases a suite may run: the rest of the file is not read. */
  full = false;

  /** `where` locates the case in its file; it is only called when the case has a problem. Undefined: rejected (a finding says why). */
  accept(value: unknown, line: number, where: () => { parsed: StructuredFile; path: KeyPath }): AcceptedCase | undefined {
    if (this.full) return undefined;
    if (this.firstLine.size === MAX_SAMPLES_PER_SUITE) {
      this.full = true;
      const { parsed, path } = where();
      const max = MAX_SAMPLES_PER_SUITE.toLocaleString('en-US');
      this.reject([parsed.findingAt(path, `more than ${max} cases, the most a suite may run; split the cases into several suites`)]);
      return undefined;
    }
    // Inputs in issues cost a lot over 50,000 cases: ask for them only when a case fails.
    const result = caseSchema.safeParse(value);
    if (!result.success) {
      const { parsed, path } = where();
      const issues = caseSchema.safeParse(value, { reportInput: true }).error?.issues ?? result.error.issues;
      this.reject(issueFindings(issues, parsed, path));
      return undefined;
    }
    const { id: givenId, vars, expected, tags } = result.data;
    const hasExpected = Object.hasOwn(value as object, 'expected');
    const id = givenId ?? stableCaseId(vars, expected);
    const first = this.firstLine.get(id);
    if (first !== undefined) {
      const { parsed, path } = where();
      const fix = givenId
        ? 'give each case its own id'
        : 'it has the same vars and expected as that case (ids are derived from them); remove one or give them ids';
      this.reject([parsed.findingAt([...path, 'id'], `duplicate case id "${id}", first used at line ${first}; ${fix}`)]);
      return undefined;
    }
    this.firstLine.set(id, line);
    return { id, vars, ...(hasExpected && { expected }), ...(tags && { tags }) };
  }

  reject(findings: Finding[]): void {
    this.findings.push(...findings);
  }

  /** `cases`, the ones accepted, or the findings; `noCases` when there are neither. */
  result<T extends CaseList>(cases: T, noCases: () => Finding): Loaded<T> {
    const findings = this.findings.slice(0, MAX_FINDINGS_PER_FILE);
    const hidden = this.findings.length - findings.length;
    if (hidden > 0)
      findings.push(invalid({ file: this.file }, `${hidden} more problems in ${this.file} not shown; fix the ones above first`));
    if (findings.length === 0 && cases.length === 0) findings.push(noCases());
    return findings.length ? { findings } : { value: cases, findings };
  }
}
