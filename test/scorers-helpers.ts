// Shared by the scorer tests: in-memory inputs for createScorer.
import type { ScorerDeps } from '../src/engine/scorers/index.js';
import type { FileSource } from '../src/engine/git/source.js';
import type { Case } from '../src/engine/types.js';

/** An in-memory FileSource: only `read` is used by scorers. */
export function memorySource(files: Record<string, string>): FileSource {
  return {
    label: 'test tree',
    read: (path) => files[path],
    readBytes: (path) => (files[path] === undefined ? undefined : Buffer.from(files[path]!)),
    glob: () => Object.keys(files).sort(),
  };
}

/** Stands in for nunjucks: replaces `{{ expected }}` only, which is all these tests render. */
export const renderValue: ScorerDeps['renderValue'] = (template, c) => template.replace(/\{\{\s*expected\s*\}\}/g, String(c.expected));

export function deps(overrides: Partial<ScorerDeps> = {}): ScorerDeps {
  return {
    root: '/nonexistent',
    source: memorySource({}),
    judge: () => Promise.reject(new Error('no judge in this test')),
    renderValue,
    ...overrides,
  };
}

export function aCase(fields: Partial<Case> = {}): Case {
  return { id: 'c1', vars: { question: 'Can I get a refund?' }, file: 'data/cases.jsonl', ...fields };
}
