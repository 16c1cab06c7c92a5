import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadProject } from '../src/engine/files/project.js';
import { WorkTree } from '../src/engine/git/source.js';
import {
  archivePath,
  readArchive,
  serializeArchive,
  toArchive,
  writeArchive,
  type ArchivedArtifact,
} from '../src/engine/registry/archive.js';
import type { ArchiveFile } from '../src/engine/types.js';
import { EXAMPLE } from './helpers/example-repo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function exampleCopy(): WorkTree {
  const root = mkdtempSync(join(tmpdir(), 'promptgate-archive-'));
  dirs.push(root);
  cpSync(EXAMPLE, root, { recursive: true });
  return new WorkTree(root);
}

function artifactOf(src: WorkTree, name: string): ArchivedArtifact {
  return loadProject(src).prompts.find((p) => p.name === name)!.artifact;
}

const RELEASE = {
  source: { path: 'prompts/support-refund.prompt.yaml', commit: 'a'.repeat(40) },
  eval: { suite_hash: 'sha256:' + 'b'.repeat(64), metrics: { accuracy: { mean: 0.9, n: 10 } } },
  released_at: '2026-11-30T10:00:00.000Z',
  tool_version: '0.1.0',
};

async function released(src: WorkTree, name = 'support-refund'): Promise<{ path: string; archive: ArchiveFile }> {
  const archive = toArchive(artifactOf(src, name), RELEASE);
  const path = archivePath(loadProject(src).config, archive.name, archive.version);
  await writeArchive(src.root, path, archive);
  return { path, archive };
}

describe('archive files (SPEC 10.2)', () => {
  test('written as promptgate/artifact@1 with the prompt file’s model shape, read back verified', async () => {
    const src = exampleCopy();
    const { path, archive } = await released(src);
    expect(path).toBe('.promptgate/registry/support-refund/2.1.0.json');
    const json = JSON.parse(readFileSync(join(src.root, path), 'utf8'));
    expect(json).toMatchObject({
      schema: 'promptgate/artifact@1',
      name: 'support-refund',
      version: '2.1.0',
      model: { provider: 'openai', name: 'gpt-4o-2024-11-20', temperature: 0, max_tokens: 300 },
      templates: { 'partials/tone.njk': readFileSync(join(EXAMPLE, 'partials/tone.njk'), 'utf8') },
      variables: ['company_name', 'question'],
    });
    // The same identity the gate and baselines use.
    const prompt = loadProject(src).prompts.find((p) => p.name === 'support-refund')!;
    expect(json.hash).toBe(prompt.artifact.hash);
    expect(readArchive(src, path)).toEqual({ value: archive, findings: [] });
  });

  test('byte-stable: sorted keys at every level, two-space indent, trailing newline, whatever the insertion order', async () => {
    const src = exampleCopy();
    const { archive } = await released(src);
    const text = serializeArchive(archive);
    expect(text.endsWith('}\n')).toBe(true);
    const reversed = JSON.parse(
      JSON.stringify(archive, (_k, v) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
      ),
    );
    expect(serializeArchive(reversed)).toBe(text);
    const keys = Object.keys(JSON.parse(text));
    expect(keys).toEqual([...keys].sort());
    expect(text).toContain('\n  "eval": {\n    "metrics": {');
  });

  test('the write is atomic: no temporary file is left beside it', async () => {
    const src = exampleCopy();
    const { path } = await released(src);
    expect(readdirSync(join(src.root, dirname(path)))).toEqual(['2.1.0.json']);
  });

  describe('a damaged archive is a located invalid-file finding that says to restore it', () => {
    let text = '';
    async function damaged(change: (text: string) => string) {
      const src = exampleCopy();
      const { path } = await released(src);
      text = change(readFileSync(join(src.root, path), 'utf8'));
      writeFileSync(join(src.root, path), text);
      const result = readArchive(src, path);
      expect(result.value).toBeUndefined();
      expect(result.findings).toHaveLength(1);
      expect(result.findings[0]).toMatchObject({ rule: 'invalid-file', severity: 'error', file: path });
      expect(result.findings[0]!.message).toMatch(
        /restore it from git \(git checkout -- \.promptgate\/registry\/support-refund\/2\.1\.0\.json\)/,
      );
      return result.findings[0]!;
    }

    test('truncated', async () => {
      const finding = await damaged((t) => t.slice(0, Math.floor(t.length / 2)));
      expect(finding.message).toMatch(/^not valid JSON/);
      expect(finding.line).toBeGreaterThan(1);
    });

    test('hand-edited content: the hash no longer matches', async () => {
      const finding = await damaged((t) => t.replace('"temperature": 0', '"temperature": 0.7'));
      expect(finding.key).toBe('hash');
      expect(finding.line).toBe(lineOf(text, '"hash":'));
      expect(finding.message).toMatch(
        /the content hashes to sha256:[0-9a-f]{64}, not to the recorded sha256:[0-9a-f]{64}: the file was edited after release/,
      );
    });

    test('hand-edited hash', async () => {
      const finding = await damaged((t) => t.replace(/"hash": "sha256:[0-9a-f]{4}/, '"hash": "sha256:0000'));
      expect(finding.key).toBe('hash');
    });

    test('a key removed', async () => {
      const finding = await damaged((t) => t.replace(/\n {2}"variables": \[[^\]]*\],/, ''));
      expect(finding.message).toMatch(
        /variables: missing required key "variables" \(a list\); restore it from git \(git checkout -- \.promptgate\/registry\/support-refund\/2\.1\.0\.json\)/,
      );
      expect(finding.message).not.toContain('add it');
    });

    test('moved to another version’s path', async () => {
      const finding = await damaged((t) => t.replace('"version": "2.1.0"', '"version": "2.1.1"'));
      expect(finding.message).toMatch(
        /holds support-refund 2\.1\.1, which belongs in \.promptgate\/registry\/support-refund\/2\.1\.1\.json/,
      );
    });
  });
});

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}
