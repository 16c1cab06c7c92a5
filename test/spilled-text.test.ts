// A large JSON Lines dataset waits in a temporary file while the run lasts (SpilledText), each
// case reading its line back by byte offset. Whatever the text holds, a spilled dataset's cases
// must be the in-memory ones, and the temporary file must be gone when the process exits.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetMemo, loadDataset } from '../src/engine/files/dataset.js';
import { SpilledText } from '../src/engine/files/spilled-text.js';
import { WorkTree, type FileSource } from '../src/engine/git/source.js';
import { caseArray, caseFields } from './helpers/case-fields.js';
import { ownTmpdir } from './helpers/own-tmpdir.js';

ownTmpdir();

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The temporary files written while `load` runs, counted in an empty directory of its own. */
function temporaryFiles(load: () => void): number {
  const tmp = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmp ?? tmpdir(), 'load-'));
  process.env['TMPDIR'] = dir;
  try {
    load();
    return readdirSync(dir).length;
  } finally {
    process.env['TMPDIR'] = tmp;
  }
}

describe('SpilledText', () => {
  it('gives back any slice between character boundaries, in several scripts, across its write pieces', () => {
    // A surrogate pair right where the first megabyte-of-characters piece ends.
    const text = `${'a'.repeat((1 << 20) - 1)}😀 café 日本語 ${'z'.repeat(1000)}\n{"q": "Grüße 👋"}`;
    const spilled = SpilledText.create()!;
    expect(spilled.append(text)).toEqual([0, Buffer.byteLength(text)]);
    expect(spilled.byteLength).toBe(Buffer.byteLength(text));
    expect(spilled.slice(0, spilled.byteLength)).toBe(text);
    const bytes = Buffer.from(text);
    for (const part of ['😀 café', '日本語', '{"q": "Grüße 👋"}']) {
      const start = bytes.indexOf(part);
      expect(spilled.slice(start, start + Buffer.byteLength(part))).toBe(part);
    }
    expect(spilled.equals(bytes)).toBe(true);
    expect(spilled.equals(Buffer.from(text.replace('Grüße', 'Grüsse')))).toBe(false);
    expect(spilled.equals(Buffer.from(text.replace('日本語', '日本人')))).toBe(false);
    expect(SpilledText.of(bytes)!.slice(0, bytes.length)).toBe(text);
  });

  it('is removed when the process exits', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'promptgate-spill-exit-'));
    dirs.push(tmp);
    const module = join(tmp, 'spilled-text.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, '../src/engine/files/spilled-text.ts')],
      outfile: module,
      format: 'esm',
      platform: 'node',
    });
    const temp = join(tmp, 'temp');
    mkdirSync(temp);
    const script = `const { SpilledText } = await import(${JSON.stringify(module)});
const spilled = SpilledText.of(Buffer.from('{"vars": {}}\\n'.repeat(1000)));
const { readdirSync } = await import('node:fs');
console.log(readdirSync(${JSON.stringify(temp)}).length, spilled.slice(0, 12));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: temp, TMP: temp, TEMP: temp },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('1 {"vars": {}}');
    expect(readdirSync(temp)).toEqual([]);
  });
});

describe('a spilled JSON Lines dataset', () => {
  const source = (files: Record<string, string>): FileSource => ({
    label: 'test',
    read: (path) => files[path],
    readBytes: (path) => (files[path] === undefined ? undefined : Buffer.from(files[path])),
    glob: () => Object.keys(files),
  });

  const lines = [
    '{"id": "ascii", "vars": {"q": "where is my order?"}, "expected": "order", "tags": ["a"]}',
    '',
    '{"vars": {"q": "café crème"}, "expected": {"lang": "fr"}}\r',
    '   ',
    '{"id": "emoji", "vars": {"q": "👋 Grüße, 日本語"}, "expected": null}',
    '{"id": "last", "vars": {"q": "no final newline"}}',
  ];
  const load = (text: string, memo: DatasetMemo) => loadDataset(source({ 'data/a.jsonl': text }), 'data/a.jsonl', memo);

  it('gives the cases and lines the in-memory dataset gives, past lines of several bytes a character', () => {
    const inMemory = load(lines.join('\n'), new DatasetMemo());
    const spilled = load(lines.join('\n'), new DatasetMemo(0));
    expect(spilled.findings).toEqual([]);
    expect(caseArray(spilled)?.map(caseFields)).toEqual(caseArray(inMemory)?.map(caseFields));
    expect(caseArray(spilled)?.map((c) => [c.id, c.line])).toEqual([
      ['ascii', 1],
      [caseArray(inMemory)![1]!.id, 3],
      ['emoji', 5],
      ['last', 6],
    ]);
    expect(caseArray(spilled)?.[3]?.vars).toEqual({ q: 'no final newline' });
  });

  it('gives the findings the in-memory dataset gives', () => {
    const broken = [...lines.slice(0, 3), '{"id": "broken", "vars": {"q": }}', ...lines.slice(3)].join('\n');
    const inMemory = load(broken, new DatasetMemo());
    expect(inMemory.findings).toHaveLength(1);
    expect(load(broken, new DatasetMemo(0))).toEqual(inMemory);
  });

  /** Runs `script` (given DatasetMemo and loadDataset, and `gc`) in a process of its own; its output. */
  async function measured(script: string): Promise<string> {
    // Bundled beside the repository's node_modules, run in a process that can collect garbage.
    const module = join(import.meta.dirname, '..', '.tmp', 'spilled-dataset.mjs');
    const entry = join(import.meta.dirname, '../src/engine/files/dataset.ts');
    await build({ entryPoints: [entry], outfile: module, bundle: true, format: 'esm', platform: 'node', packages: 'external' });
    const head = `const { DatasetMemo, loadDataset } = await import(${JSON.stringify(module)});\n`;
    return execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', head + script], { encoding: 'utf8' });
  }

  it('is not kept in memory, by its cases nor by their ids', async () => {
    const out = await measured(`
const dataset = () => Buffer.from(Array.from({ length: 20000 }, (_, i) =>
  JSON.stringify({ id: 'a-case-id-long-enough-to-be-sliced-' + i, vars: { q: 'x'.repeat(2000) } })).join('\\n'));
const held = () => process.memoryUsage().heapUsed + process.memoryUsage().external;
gc();
gc();
const before = held();
let bytes = dataset();
const src = { label: 't', read: () => undefined, readBytes: () => bytes, glob: () => [] };
const { value } = loadDataset(src, 'data/a.jsonl', new DatasetMemo(1000));
bytes = undefined;
// The second collection brings the count of external memory up to date.
gc();
gc();
console.log(value.length, value.at(19999).id, Math.round((held() - before) / 1e6));`);
    const [count, lastId, heldMb] = out.trim().split(' ');
    expect([count, lastId]).toEqual(['20000', 'a-case-id-long-enough-to-be-sliced-19999']);
    // The dataset is 40 MB (its bytes are outside V8's heap, counted as external); the cases a few.
    expect(Number(heldMb)).toBeLessThan(10);
  });

  it('holds no object per case: its ids and lines are columns outside the heap', async () => {
    const out = await measured(`
const dataset = (prefix) => Buffer.from(Array.from({ length: 100000 }, (_, i) => JSON.stringify({ id: prefix + i, vars: { q: 'hi' } })).join('\\n'));
const load = (bytes) => loadDataset({ label: 't', read: () => undefined, readBytes: () => bytes, glob: () => [] }, 'data/a.jsonl', new DatasetMemo()).value;
// A first load compiles the code; its ids differ (JSON.parse shares short strings it made before).
load(dataset('w'));
const bytes = dataset('c');
gc();
gc();
const before = process.memoryUsage().heapUsed;
const value = load(bytes);
gc();
gc();
console.log(value.length, value.at(-1).id, value.at(-1).line, Math.round((process.memoryUsage().heapUsed - before) / value.length));`);
    const [count, lastId, lastLine, bytesPerCase] = out.trim().split(' ');
    expect([count, lastId, lastLine]).toEqual(['100000', 'c99999', '100000']);
    // Its id's bytes and its line's offsets and number are outside the heap, in columns. An
    // object per case took ~105 bytes, ids as strings in an array ~33.
    expect(Number(bytesPerCase)).toBeLessThan(10);
  });

  it('gives back every id as written: any script, a lone surrogate from a JSON escape, a derived one', () => {
    const ids = ['ascii', 'é👋 终', '\\ud800', 'x'.repeat(20_000)];
    const text = [...ids.map((id) => `{"id": "${id}", "vars": {}}`), '{"vars": {"q": 1}}'].join('\n');
    const loaded = caseArray(load(text, new DatasetMemo()))!.map((c) => c.id);
    expect(loaded.slice(0, 4)).toEqual(['ascii', 'é👋 终', '\ud800', 'x'.repeat(20_000)]);
    expect(loaded[4]).toMatch(/^c-[0-9a-f]{10}$/);
  });

  it('stays in memory when no temporary file can be written', () => {
    const tmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(tmpdir(), 'promptgate-no-such-dir', 'deeper');
    try {
      expect(SpilledText.of(Buffer.from('text'))).toBeUndefined();
      const kept = load(lines.join('\n'), new DatasetMemo(0));
      expect(caseArray(kept)?.map(caseFields)).toEqual(caseArray(load(lines.join('\n'), new DatasetMemo()))?.map(caseFields));
    } finally {
      if (tmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = tmp;
    }
  });

  it('spills only over the limit: a 32 MiB default', () => {
    const text = Array.from({ length: 10 }, (_, i) => `{"vars": {"q": "${i}"}}\n`).join('');
    const spills = (memo: DatasetMemo) =>
      temporaryFiles(() => {
        const loaded = loadDataset(source({ 'data/a.jsonl': text }), 'data/a.jsonl', memo);
        expect(loaded.value).toHaveLength(10);
      });
    expect(spills(new DatasetMemo())).toBe(0);
    expect(spills(new DatasetMemo(text.length))).toBe(0);
    expect(spills(new DatasetMemo(text.length - 1))).toBe(1);
  });
});

describe('a large JSON Lines dataset of the working tree', () => {
  // Copied to a temporary file and read a block (a megabyte) at a time, never whole in memory.
  const root = mkdtempSync(join(tmpdir(), 'promptgate-large-dataset-'));
  dirs.push(root);
  const write = (content: string | Buffer) => {
    mkdirSync(join(root, 'data'), { recursive: true });
    writeFileSync(join(root, 'data/a.jsonl'), content);
  };
  const fromMemory = (content: Buffer): FileSource => ({
    label: 'memory',
    read: () => undefined,
    readBytes: (path) => (path === 'data/a.jsonl' ? content : undefined),
    glob: () => [],
  });
  const onDisk = (memo = new DatasetMemo(0)) => loadDataset(new WorkTree(root), 'data/a.jsonl', memo);
  const inMemory = (content: Buffer) => loadDataset(fromMemory(content), 'data/a.jsonl', new DatasetMemo());
  const fields = (loaded: ReturnType<typeof loadDataset>) => ({ findings: loaded.findings, cases: caseArray(loaded)?.map(caseFields) });

  it('gives the cases, lines and findings the whole text gives, across blocks and past a line longer than a block', () => {
    const lines = [
      '\uFEFF{"id": "first", "vars": {"q": "after a byte order mark"}}',
      ...Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ vars: { q: `case ${i}: café 日本語 👋 ${'x'.repeat(i % 90)}` } })),
      '{"id": "long", "vars": {"q": "' + 'é'.repeat(700_000) + '"}}',
      '',
      '{"id": "crlf", "vars": {"q": "CRLF"}}\r',
      '{"id": "last", "vars": {"q": "no final newline"}}',
    ];
    const content = Buffer.from(lines.join('\n'));
    expect(content.length).toBeGreaterThan(3 * 1024 * 1024);
    write(content);
    const loaded = onDisk();
    expect(fields(loaded)).toEqual(fields(inMemory(content)));
    expect(loaded.value).toHaveLength(30_004);
    expect(caseArray(loaded)?.find((c) => c.id === 'long')?.vars['q']).toHaveLength(700_000);
    // A copy: an edit of the dataset during the run changes no case.
    write('{"vars": {"q": "edited"}}\n');
    expect(loaded.value?.at(-1)?.vars).toEqual({ q: 'no final newline' });

    const broken = Buffer.from([...lines.slice(0, -1), '{"id": "broken", "vars": {"q": }}\r', ...lines.slice(-1)].join('\n'));
    write(broken);
    const refused = onDisk();
    expect(refused.findings).toEqual([expect.objectContaining({ file: 'data/a.jsonl', line: 30_005 })]);
    expect(refused).toEqual(inMemory(broken));
  });

  it('is read whole for the finding when it is not UTF-8, and the same when it is not over the limit', () => {
    const content = Buffer.concat([
      Buffer.from('{"vars": {"q": "one"}}\n{"vars": {"q": "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}\n'),
    ]);
    write(content);
    expect(onDisk().findings).toEqual([
      expect.objectContaining({ file: 'data/a.jsonl', line: 2, message: expect.stringContaining('not valid UTF-8') }),
    ]);
    expect(onDisk()).toEqual(inMemory(content));
    const small = Buffer.from('{"vars": {"q": "one"}}\n');
    write(small);
    const copies = (overBytes: number) =>
      temporaryFiles(() => expect(fields(onDisk(new DatasetMemo(overBytes)))).toEqual(fields(inMemory(small))));
    expect(copies(small.length)).toBe(0);
    expect(copies(small.length - 1)).toBe(1);
  });

  it("hands a commit's identical copy the same cases, and parses a different one", () => {
    const content = Buffer.from('{"vars": {"q": "one"}}\n{"vars": {"q": "two"}}\n');
    write(content);
    const memo = new DatasetMemo(0);
    const head = onDisk(memo);
    expect(loadDataset(fromMemory(Buffer.from(content)), 'data/a.jsonl', memo)).toBe(head);
    const other = loadDataset(fromMemory(Buffer.from(content.toString().replace('two', 'owt'))), 'data/a.jsonl', memo);
    expect(caseArray(other)?.map((c) => c.vars['q'])).toEqual(['one', 'owt']);
  });
});
