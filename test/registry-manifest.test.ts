import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { WorkTree } from '../src/engine/git/source.js';
import { ManifestEditor } from '../src/engine/registry/manifest-editor.js';
import { labelVersion, loadManifest, parseDuration } from '../src/engine/registry/manifest.js';

const FILE = '.promptgate/releases.yaml';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function load(text: string) {
  const root = mkdtempSync(join(tmpdir(), 'promptgate-manifest-'));
  dirs.push(root);
  writeFileSync(join(root, 'releases.yaml'), text);
  return loadManifest(new WorkTree(root), 'releases.yaml');
}

// SPEC 10.1's example, comments and alignment as a person writes them.
const SPEC_EXAMPLE = `# Which version each label serves (SPEC 10.1).
support-refund:                  # a prompt's logical name
  labels:                        # label -> version
    production: 2.1.0
    staging: 2.2.0
  segments:                      # optional: per-segment labels that override \`labels\`
    enterprise: { production: 2.0.3 }
  canary:                        # optional: a staged rollout
    version: 2.2.0
    steps: [5, 25, 50, 100]      # percent of traffic per step
    step: 0                      # index of the current step in \`steps\`
    started_at: "2026-11-30T10:00:00Z"   # when the current step began
    salt: "support-refund@2.2.0" # bucketing salt
    min_samples: 200
    min_duration: 24h
    metrics:
      user_rating: { direction: higher, max_drop: 0 }
      error_rate: { direction: lower, max_drop: 0.01 }
    alpha: 0.05

# Routed by the intent classifier.
intent-classifier:
  labels: { production: 1.0.4 }
`;

describe('loadManifest', () => {
  test('reads SPEC 10.1 as written', () => {
    const { value, findings } = load(SPEC_EXAMPLE);
    expect(findings).toEqual([]);
    expect(value!.manifest['support-refund']).toEqual({
      labels: { production: '2.1.0', staging: '2.2.0' },
      segments: { enterprise: { production: '2.0.3' } },
      canary: {
        version: '2.2.0',
        steps: [5, 25, 50, 100],
        step: 0,
        started_at: '2026-11-30T10:00:00Z',
        salt: 'support-refund@2.2.0',
        min_samples: 200,
        min_duration: '24h',
        metrics: { user_rating: { direction: 'higher', max_drop: 0 }, error_rate: { direction: 'lower', max_drop: 0.01 } },
        alpha: 0.05,
      },
    });
    expect(labelVersion(value!.manifest, 'support-refund', 'production', 'enterprise')).toBe('2.0.3');
    expect(labelVersion(value!.manifest, 'support-refund', 'production', 'unknown-segment')).toBe('2.1.0');
    expect(value!.position(['intent-classifier', 'labels', 'production'])).toEqual({ line: 23, column: 25 });
  });

  test('a missing manifest is an empty one; a comment-only one too', () => {
    const root = mkdtempSync(join(tmpdir(), 'promptgate-manifest-'));
    dirs.push(root);
    expect(loadManifest(new WorkTree(root), FILE).value?.manifest).toEqual({});
    expect(load('# nothing released yet\n').value?.manifest).toEqual({});
  });

  test.each([
    [
      'a label that is not semver',
      'p:\n  labels:\n    production: latest\n',
      3,
      'p.labels.production',
      'expected a released version such as "2.1.0"',
    ],
    [
      'a version YAML reads as a number',
      'p:\n  labels:\n    production: 2.1\n',
      3,
      'p.labels.production',
      'found 2.1; write the full version',
    ],
    [
      'a segment label that is not semver',
      'p:\n  labels: { production: 1.0.0 }\n  segments:\n    eu: { production: v1 }\n',
      4,
      'p.segments.eu.production',
      'semver',
    ],
    ['an unknown key', 'p:\n  labels: { production: 1.0.0 }\n  lables: {}\n', 3, 'p.lables', 'unknown key "lables"'],
    [
      'steps not ending at 100',
      'p:\n  labels: { production: 1.0.0 }\n  canary: { version: 1.1.0, steps: [5, 50], step: 0, started_at: "2026-01-01T00:00:00Z" }\n',
      3,
      'p.canary.steps',
      'ending with 100',
    ],
    [
      'a step past the running steps',
      'p:\n  labels: { production: 1.0.0 }\n  canary: { version: 1.1.0, steps: [5, 100], step: 1, started_at: "2026-01-01T00:00:00Z" }\n',
      3,
      'p.canary.step',
      'use 0 to 0',
    ],
    [
      'a bad duration',
      'p:\n  labels: { production: 1.0.0 }\n  canary: { version: 1.1.0, steps: [5, 100], step: 0, started_at: "2026-01-01T00:00:00Z", min_duration: 1 day }\n',
      3,
      'p.canary.min_duration',
      '24h',
    ],
    [
      'a canary without production',
      'p:\n  canary: { version: 1.1.0, steps: [5, 100], step: 0, started_at: "2026-01-01T00:00:00Z" }\n',
      2,
      'p.canary',
      'set labels.production first',
    ],
    ['a prompt name that cannot be one', 'Support Refund:\n  labels: { production: 1.0.0 }\n', 1, 'Support Refund', 'prompt name'],
    ['a list instead of a mapping', '- support-refund\n', 1, undefined, 'a mapping'],
  ])('%s is a located invalid-file finding', (_what, text, line, key, message) => {
    const { value, findings } = load(text);
    expect(value).toBeUndefined();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'invalid-file', severity: 'error', file: 'releases.yaml', line, key });
    expect(findings[0]!.message).toContain(message);
  });

  test('YAML that does not parse names line and column', () => {
    const { findings } = load('p:\n  labels: { production: 1.0.0\n');
    expect(findings[0]).toMatchObject({ rule: 'invalid-file', file: 'releases.yaml', line: 3 });
    expect(findings[0]!.message).toMatch(/not valid YAML/);
  });

  test('durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1.5d')).toBe(129_600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1 day')).toBeUndefined();
  });
});

describe('ManifestEditor', () => {
  function lineDiff(before: string, after: string): Array<[string | undefined, string | undefined]> {
    const a = before.split('\n');
    const b = after.split('\n');
    const diff: Array<[string | undefined, string | undefined]> = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) diff.push([a[i], b[i]]);
    return diff;
  }

  test('moving a label changes that one line, comments and alignment kept', () => {
    const editor = ManifestEditor.open(SPEC_EXAMPLE, FILE);
    editor.setLabel('support-refund', 'production', '2.2.0');
    expect(lineDiff(SPEC_EXAMPLE, editor.toString())).toEqual([['    production: 2.1.0', '    production: 2.2.0']]);
  });

  test('a label inside a flow mapping and a segment label', () => {
    const editor = ManifestEditor.open(SPEC_EXAMPLE, FILE);
    editor.setLabel('intent-classifier', 'production', '1.0.5');
    editor.setLabel('support-refund', 'production', '2.0.4', 'enterprise');
    expect(lineDiff(SPEC_EXAMPLE, editor.toString())).toEqual([
      ['    enterprise: { production: 2.0.3 }', '    enterprise: { production: 2.0.4 }'],
      ['  labels: { production: 1.0.4 }', '  labels: { production: 1.0.5 }'],
    ]);
  });

  test('removing the canary removes its lines only', () => {
    const editor = ManifestEditor.open(SPEC_EXAMPLE, FILE);
    editor.removeCanary('support-refund');
    const after = editor.toString();
    const lines = SPEC_EXAMPLE.split('\n');
    const start = lines.findIndex((l) => l.startsWith('  canary:'));
    const end = lines.findIndex((l) => l.startsWith('    alpha:'));
    expect(after).toBe([...lines.slice(0, start), ...lines.slice(end + 1)].join('\n'));
    expect(parse(after)['support-refund'].canary).toBeUndefined();
    editor.removeCanary('support-refund');
    expect(editor.toString()).toBe(after);
  });

  test('advancing a canary rewrites step and started_at in place', () => {
    const editor = ManifestEditor.open(SPEC_EXAMPLE, FILE);
    editor.setCanary('support-refund', { step: 1, started_at: '2026-12-01T10:00:00Z' });
    expect(lineDiff(SPEC_EXAMPLE, editor.toString())).toEqual([
      [
        '    step: 0                      # index of the current step in `steps`',
        '    step: 1                      # index of the current step in `steps`',
      ],
      [
        '    started_at: "2026-11-30T10:00:00Z"   # when the current step began',
        '    started_at: "2026-12-01T10:00:00Z"   # when the current step began',
      ],
    ]);
  });

  test('starting a canary appends it to the prompt, in the manifest format', () => {
    const text =
      '# releases\nsupport-refund:   # refunds\n  labels:\n    production: 2.1.0   # live\n\n# next\nother:\n  labels: { production: 1.0.0 }\n';
    const editor = ManifestEditor.open(text, FILE);
    editor.setCanary('support-refund', {
      version: '2.2.0',
      steps: [5, 25, 50, 100],
      step: 0,
      started_at: '2026-11-30T10:00:00Z',
      metrics: { user_rating: { direction: 'higher', max_drop: 0 } },
    });
    expect(editor.toString()).toBe(
      '# releases\nsupport-refund:   # refunds\n  labels:\n    production: 2.1.0   # live\n' +
        '  canary:\n    version: 2.2.0\n    steps: [ 5, 25, 50, 100 ]\n    step: 0\n    started_at: 2026-11-30T10:00:00Z\n' +
        '    metrics:\n      user_rating: { direction: higher, max_drop: 0 }\n' +
        '\n# next\nother:\n  labels: { production: 1.0.0 }\n',
    );
    expect(parse(editor.toString())['support-refund'].canary.started_at).toBe('2026-11-30T10:00:00Z');
  });

  test('new prompts, labels and segments are added where they belong', () => {
    const editor = ManifestEditor.open(undefined, FILE);
    editor.setLabel('support-refund', 'production', '2.1.0');
    editor.setLabel('support-refund', 'staging', '2.2.0');
    editor.setLabel('support-refund', 'production', '2.0.3', 'enterprise');
    editor.setLabel('intent-classifier', 'production', '1.0.4');
    expect(editor.toString()).toBe(
      'support-refund:\n  labels:\n    production: 2.1.0\n    staging: 2.2.0\n  segments:\n    enterprise: { production: 2.0.3 }\n' +
        'intent-classifier:\n  labels:\n    production: 1.0.4\n',
    );
  });

  test('a comment-only file keeps its comments; an empty labels key is filled', () => {
    const editor = ManifestEditor.open('# Release manifest\n', FILE);
    editor.setLabel('p', 'production', '1.0.0');
    expect(editor.toString()).toBe('# Release manifest\np:\n  labels:\n    production: 1.0.0\n');
    const empty = ManifestEditor.open('p:\n  labels:\n  # later\n', FILE);
    empty.setLabel('p', 'production', '1.0.0');
    expect(parse(empty.toString())).toEqual({ p: { labels: { production: '1.0.0' } } });
  });

  test('versions that YAML would read as numbers are quoted', () => {
    const editor = ManifestEditor.open('p:\n  labels:\n    production: 1.0.0\n', FILE);
    editor.setCanary('p', { salt: '2.0' });
    expect(parse(editor.toString()).p.canary.salt).toBe('2.0');
  });

  test('a file that does not parse is refused before any edit', () => {
    expect(() => ManifestEditor.open('p:\n  labels: { production: 1.0.0\n', FILE)).toThrow(/releases.yaml is not valid YAML/);
  });
});
