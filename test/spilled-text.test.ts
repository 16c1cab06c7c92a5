// A large JSON Lines dataset waits in a temporary file while the run lasts (SpilledText), each
// case reading its line back by byte offset. Whatever the text holds, a spilled dataset's cases
// must be the in-memory ones, and the temporary file must be gone when the process exits.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetMemo, loadDataset } from '../src/engine/files/dataset.js';
import { SpilledText } from '../src/engine/files/spilled-text.js';
import type { FileSource } from '../src/engine/git/source.js';
import { caseFields } from './helpers/case-fields.js';
import { ownTmpdir } from './helpers/own-tmpdir.js';

ownTmpdir();

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('SpilledText', () => {
  it('gives back any slice between character boundaries, in several scripts, across its write pieces', () => {
    // A surrogate pair right where the first megabyte-of-characters piece ends.
    const text = `${'a'.repeat((1 << 20) - 1)}😀 café 日本語 ${'z'.repeat(1000)}\n{"q": "Grüße 👋"}`;
    const spilled = SpilledText.of(text)!;
    expect(spilled.byteLength).toBe(Buffer.byteLength(text));
    expect(spilled.slice(0, spilled.byteLength)).toBe(text);
    const bytes = Buffer.from(text);
    for (const part of ['😀 café', '日本語', '{"q": "Grüße 👋"}']) {
      const start = bytes.indexOf(part);
      expect(spilled.slice(start, start + Buffer.byteLength(part))).toBe(part);
    }
    expect(spilled.equals(text)).toBe(true);
    expect(spilled.equals(text.replace('Grüße', 'Grüsse'))).toBe(false);
    expect(spilled.equals(text.replace('日本語', '日本人'))).toBe(false);
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
const spilled = SpilledText.of('{"vars": {}}\\n'.repeat(1000));
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
    expect(spilled.value?.map(caseFields)).toEqual(inMemory.value?.map(caseFields));
    expect(spilled.value?.map((c) => [c.id, c.line])).toEqual([
      ['ascii', 1],
      [inMemory.value![1]!.id, 3],
      ['emoji', 5],
      ['last', 6],
    ]);
    expect(spilled.value?.[3]?.vars).toEqual({ q: 'no final newline' });
  });

  it('gives the findings the in-memory dataset gives', () => {
    const broken = [...lines.slice(0, 3), '{"id": "broken", "vars": {"q": }}', ...lines.slice(3)].join('\n');
    const inMemory = load(broken, new DatasetMemo());
    expect(inMemory.findings).toHaveLength(1);
    expect(load(broken, new DatasetMemo(0))).toEqual(inMemory);
  });

  it('is not kept in memory: not by its cases, nor by their ids (V8 can make a parsed string a slice of the whole text)', async () => {
    // Bundled beside the repository's node_modules, run in a process that can collect garbage.
    const module = join(import.meta.dirname, '..', '.tmp', 'spilled-dataset.mjs');
    const entry = join(import.meta.dirname, '../src/engine/files/dataset.ts');
    await build({ entryPoints: [entry], outfile: module, bundle: true, format: 'esm', platform: 'node', packages: 'external' });
    const script = `const { DatasetMemo, loadDataset } = await import(${JSON.stringify(module)});
const dataset = () => Buffer.from(Array.from({ length: 20000 }, (_, i) =>
  JSON.stringify({ id: 'a-case-id-long-enough-to-be-sliced-' + i, vars: { q: 'x'.repeat(2000) } })).join('\\n'));
let bytes = dataset();
const src = { label: 't', read: () => undefined, readBytes: () => bytes, glob: () => [] };
gc();
gc();
const before = process.memoryUsage().heapUsed;
const { value } = loadDataset(src, 'data/a.jsonl', new DatasetMemo(1000));
bytes = undefined;
gc();
console.log(value.length, value[19999].id, Math.round((process.memoryUsage().heapUsed - before) / 1e6));`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const [count, lastId, heldMb] = out.trim().split(' ');
    expect([count, lastId]).toEqual(['20000', 'a-case-id-long-enough-to-be-sliced-19999']);
    // The text is 40 MB; the cases themselves a few.
    expect(Number(heldMb)).toBeLessThan(10);
  });

  it('stays in memory when no temporary file can be written', () => {
    const tmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(tmpdir(), 'promptgate-no-such-dir', 'deeper');
    try {
      expect(SpilledText.of('text')).toBeUndefined();
      const kept = load(lines.join('\n'), new DatasetMemo(0));
      expect(kept.value?.map(caseFields)).toEqual(load(lines.join('\n'), new DatasetMemo()).value?.map(caseFields));
    } finally {
      if (tmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = tmp;
    }
  });

  it('spills only over the limit: a 32 MiB default', () => {
    const text = Array.from({ length: 10 }, (_, i) => `{"vars": {"q": "${i}"}}\n`).join('');
    // Temporary files written while loading, each load in an empty directory of its own.
    const spills = (memo: DatasetMemo) => {
      const tmp = process.env['TMPDIR'];
      const dir = mkdtempSync(join(tmp ?? tmpdir(), 'load-'));
      process.env['TMPDIR'] = dir;
      try {
        const loaded = loadDataset(source({ 'data/a.jsonl': text }), 'data/a.jsonl', memo);
        expect(loaded.value).toHaveLength(10);
        return readdirSync(dir).length;
      } finally {
        process.env['TMPDIR'] = tmp;
      }
    };
    expect(spills(new DatasetMemo())).toBe(0);
    expect(spills(new DatasetMemo(text.length))).toBe(0);
    expect(spills(new DatasetMemo(text.length - 1))).toBe(1);
  });
});
