// The JSON report is streamed to its file (large reports would otherwise be built as one
// string and one buffer at the end of a run); the file must be exactly what JSON.stringify gives.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LazyList } from '../src/engine/lazy-list.js';
import { writeJsonReport } from '../src/engine/report/json.js';
import type { Report } from '../src/engine/types.js';
import { caseDetail, regressedPrompt, report } from './report-helpers.js';

const dir = await mkdtemp(join(tmpdir(), 'promptgate-json-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

// Several chunks' worth of cases, with text JSON must escape: quotes, newlines, U+2028, a lone surrogate, non-ASCII.
const awkward = 'il a dit "non"\n\u2028 \ud800 — 終わり <b>';
const big = report({
  prompts: [
    {
      ...regressedPrompt(2_000, 80),
      details: [
        caseDetail('odd', { candidate_output: awkward, vars: { q: awkward, n: [1, null, { deep: [] }] } }),
        // Samples and details are built with absent fields undefined: the file leaves them out.
        caseDetail('absent', { expected: undefined, baseline_output: undefined, error: undefined, reasons: undefined }),
      ],
    },
    regressedPrompt(2_000, 80, 'ticket-summary'),
  ],
});

describe('writeJsonReport', () => {
  it('writes what JSON.stringify writes, indented, with a final newline', async () => {
    const file = join(dir, 'report.json');
    await writeJsonReport(file, big);
    const text = await readFile(file, 'utf8');
    expect(text.length).toBeGreaterThan(200_000);
    expect(text).toBe(`${JSON.stringify(big, null, 2)}\n`);
    expect(text).not.toContain('undefined');
    expect(text).toContain('"id": "absent"');
  });

  it('writes a shard’s partial report compact', async () => {
    const partial = { ...big, shard: { index: 2, count: 3, samples: {} } };
    const file = join(dir, 'partial.json');
    await writeJsonReport(file, partial);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(partial)}\n`);
  });

  it('writes any value as JSON.stringify does, at every depth, indented and compact', async () => {
    const leaves = [[], {}, [undefined, () => 1, Symbol('s')], Number.NaN, -0, 1e21, new Date(0), 'a\nb', { u: undefined }];
    const nested = (depth: number): unknown => (depth === 0 ? leaves : { [`k${depth}`]: [nested(depth - 1), ...leaves], empty: {} });
    const odd = { schema: 'promptgate/report@1', skipped: undefined, f: () => 1, ...(nested(6) as object) } as unknown as Report;
    for (const shard of [undefined, { index: 1, count: 2, samples: {} }]) {
      const value = { ...odd, shard } as Report;
      const file = join(dir, 'odd.json');
      await writeJsonReport(file, value);
      expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(value, null, shard ? undefined : 2)}\n`);
    }
  });

  it('writes lazy details as the array they stand for, one at a time, never all at once', async () => {
    const details = [...regressedPrompt(300, 40).details];
    let made = 0;
    const lazy = new LazyList(details.length, function* () {
      for (const detail of details) {
        made++;
        yield { ...detail, expected: undefined };
      }
    });
    // The writer must stream the list: its toJSON would hold every detail at once.
    lazy.toJSON = () => {
      throw new Error('toJSON called');
    };
    const value = report({
      prompts: [
        { ...regressedPrompt(1, 10), details: lazy },
        { ...regressedPrompt(1, 10), details: new LazyList(0, () => []) },
      ],
    });
    for (const shard of [undefined, { index: 1, count: 2, samples: {} }]) {
      const file = join(dir, 'lazy.json');
      made = 0;
      await writeJsonReport(file, { ...value, shard } as Report);
      expect(made).toBe(300);
      const written = JSON.parse(await readFile(file, 'utf8')) as Report;
      expect(written.prompts[0]!.details).toEqual(details.map((d) => ({ ...d, expected: undefined })));
      expect(written.prompts[1]!.details).toEqual([]);
      const expected = { ...value, prompts: value.prompts.map((p) => ({ ...p, details: [...p.details] })), shard };
      expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(expected, null, shard ? undefined : 2)}\n`);
    }
  });

  it('fails with the file system’s error when the file cannot be written', async () => {
    await expect(writeJsonReport(join(dir, 'no-such-dir', 'r.json'), big)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
