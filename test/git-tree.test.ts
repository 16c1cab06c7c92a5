// A commit's files are read by git. The base project of a run is read in one `git cat-file
// --batch` (GitTree.preload, fed the paths the head's project read) instead of one git
// process per file; what preload returns must be byte for byte what git show returns.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitTree, WorkTree } from '../src/engine/git/source.js';
import { DatasetMemo } from '../src/engine/files/dataset.js';
import { loadProject } from '../src/engine/files/project.js';
import { ownTmpdir } from './helpers/own-tmpdir.js';

ownTmpdir();

const root = mkdtempSync(join(tmpdir(), 'promptgate-tree-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' }).trim();

function write(files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

// Bytes that a line- or text-based reader would mangle: newlines, NUL, invalid UTF-8, no final newline.
const binary = Buffer.from([0x00, 0x0a, 0xff, 0xfe, 0x0a, 0x0a, 0x41]);
write({
  'promptgate.yaml': 'prompts: ["prompts/*.prompt.yaml"]\n',
  'prompts/a.prompt.yaml':
    'name: a\nversion: 1.0.0\nmodel: { provider: openai, name: gpt-4o-mini-2024-07-18 }\nmessages:\n  - { role: user, content: "{{ q }}" }\neval: ../evals/a.eval.yaml\n',
  'evals/a.eval.yaml': 'dataset: ../data/a.jsonl\nmetrics:\n  - { name: m, type: contains, value: "{{ expected }}" }\n',
  'data/a.jsonl': '{"vars": {"q": "one"}, "expected": "one"}\n{"vars": {"q": "two"}, "expected": "two"}\n',
  'bin/blob.dat': binary,
  'empty.txt': '',
});
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'base');
const sha = git('rev-parse', 'HEAD');
// The working tree moves on: the commit's copies must still be what is read.
write({ 'data/a.jsonl': '{"vars": {"q": "three"}, "expected": "three"}\n' });

/** Runs `read` with git unreachable, so only what is already in memory can answer. */
function withoutGit<T>(read: () => T): T {
  const path = process.env['PATH'];
  process.env['PATH'] = '';
  try {
    return read();
  } finally {
    process.env['PATH'] = path;
  }
}

describe('GitTree.preload', () => {
  it('reads every path it is given in one go, byte for byte as git show does, and skips paths the commit lacks', async () => {
    const tree = new GitTree(root, sha);
    await tree.preload(['bin/blob.dat', 'empty.txt', 'data/a.jsonl', 'no/such/file', 'promptgate.yaml']);
    const fromMemory = withoutGit(() => ({
      blob: tree.readBytes('bin/blob.dat'),
      empty: tree.read('empty.txt'),
      data: tree.read('data/a.jsonl'),
      missing: tree.readBytes('no/such/file'),
      glob: tree.glob(['data/*.jsonl']),
    }));
    expect(fromMemory.blob).toEqual(binary);
    expect(fromMemory.empty).toBe('');
    expect(fromMemory.data).toBe(git('show', `${sha}:data/a.jsonl`) + '\n');
    expect(fromMemory.missing).toBeUndefined();
    expect(fromMemory.glob).toEqual(['data/a.jsonl']);
  });

  it('loads the commit’s project from memory after preloading the paths the working tree’s load read', async () => {
    const head = new WorkTree(root);
    const headProject = loadProject(head);
    expect([...head.requested].sort()).toEqual(['data/a.jsonl', 'evals/a.eval.yaml', 'promptgate.yaml', 'prompts/a.prompt.yaml']);
    const tree = new GitTree(root, sha);
    await tree.preload(head.requested);
    const baseProject = withoutGit(() => loadProject(tree));
    expect(baseProject.findings).toEqual([]);
    expect([...baseProject.prompts[0]!.suite.cases].map((c) => c.vars)).toEqual([{ q: 'one' }, { q: 'two' }]);
    expect([...headProject.prompts[0]!.suite.cases].map((c) => c.vars)).toEqual([{ q: 'three' }]);
  });

  it('leaves reads to git, file by file, when the commit is not there', async () => {
    const tree = new GitTree(root, '0'.repeat(40));
    await expect(tree.preload(['promptgate.yaml'])).resolves.toBeUndefined();
    expect(() => tree.read('promptgate.yaml')).toThrow();
  });
});

describe('DatasetMemo', () => {
  it('parses a file again only when its content changed: JSON Lines in memory or spilled, and JSON', () => {
    const [one, two] = ['one', 'two'].map((q) => `{"vars": {"q": "${q}"}}`);
    for (const [file, spillOverBytes] of [
      ['data/a.jsonl', undefined],
      ['data/a.jsonl', 0],
      ['data/a.json', undefined],
    ] as const) {
      const memo = new DatasetMemo(spillOverBytes);
      const text = (line: string) => Buffer.from(file.endsWith('.json') ? `[${line}]` : `${line}\n`);
      const questions = (loaded: ReturnType<DatasetMemo['parse']>) => [...(loaded.value ?? [])].map((c) => c.vars['q']);
      const first = memo.parse(file, text(one!));
      expect(questions(first)).toEqual(['one']);
      expect(memo.parse(file, text(one!))).toBe(first);
      // Of the same length: a spilled copy is compared byte for byte.
      const second = memo.parse(file, text(two!));
      expect(second).not.toBe(first);
      expect(questions(second)).toEqual(['two']);
      expect(memo.parse(file.toUpperCase(), text(two!))).not.toBe(second);
    }
  });

  const casesOf = (src: WorkTree | GitTree, datasets: DatasetMemo) => loadProject(src, { datasets }).prompts[0]!.suite.cases;

  it('hands the base the cases parsed for the head when the dataset is the same, and parses a changed one', () => {
    const changed = new DatasetMemo();
    expect([...casesOf(new WorkTree(root), changed)].map((c) => c.vars)).toEqual([{ q: 'three' }]);
    expect([...casesOf(new GitTree(root, sha), changed)].map((c) => c.vars)).toEqual([{ q: 'one' }, { q: 'two' }]);

    const committed = git('show', `${sha}:data/a.jsonl`) + '\n';
    write({ 'data/a.jsonl': committed });
    try {
      const same = new DatasetMemo();
      const head = casesOf(new WorkTree(root), same);
      const base = casesOf(new GitTree(root, sha), same);
      expect(base).toBe(head);
    } finally {
      write({ 'data/a.jsonl': '{"vars": {"q": "three"}, "expected": "three"}\n' });
    }
  });
});
