// `promptgate canary start|abort|check` end to end: node dist/cli.js in a temporary copy of
// the example repository, events from the fixture generator, the manifest read back.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveContentHash, serializeArchive } from '../../src/engine/registry/archive.js';
import { ROOT } from '../e2e/harness.js';
import { tempRepo, type TempRepo } from '../helpers/example-repo.js';
import { HOUR, generate } from './events.js';

const CLI = join(ROOT, 'dist/cli.js');
const MANIFEST = '.promptgate/releases.yaml';

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function archive(version: string, metrics: Record<string, number>, suiteHash = 'sha256:suite'): string {
  const body = {
    schema: 'promptgate/artifact@1' as const,
    name: 'support-refund',
    version,
    model: { provider: 'openai', name: 'gpt-4o-2024-11-20' },
    messages: [{ role: 'system' as const, content: `Version ${version}.` }],
    templates: {},
    variables: [],
    source: { path: 'prompts/support-refund.prompt.yaml', commit: 'abc123' },
    eval: { suite_hash: suiteHash, metrics: Object.fromEntries(Object.entries(metrics).map(([k, mean]) => [k, { mean, n: 20 }])) },
    released_at: '2026-11-01T00:00:00Z',
    tool_version: '0.1.0',
  };
  return serializeArchive({ ...body, hash: archiveContentHash(body) });
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A manifest with a running canary whose step began `hoursAgo` hours ago. */
function manifestWithCanary(startedAt: number, steps = '[5, 25, 50, 100]', step = 1): string {
  return [
    '# Release manifest: edited by promptgate and by people.',
    'support-refund:',
    '  labels:',
    '    production: 2.1.0 # the version apps use',
    '  canary:',
    '    version: 2.2.0',
    `    steps: ${steps}`,
    `    step: ${step}`,
    `    started_at: "${iso(startedAt)}"`,
    '    min_samples: 200',
    '',
  ].join('\n');
}

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.remove();
  repo = undefined;
});

async function releasedRepo(files: Record<string, string> = {}): Promise<TempRepo> {
  repo = await tempRepo();
  await repo.edit({
    'prompts/support-refund.prompt.yaml': (t) => t.replace('version: 2.1.0', 'version: 2.2.0'),
    '.promptgate/registry/support-refund/2.1.0.json': archive('2.1.0', { accuracy: 0.9, error_rate: 0 }),
    '.promptgate/registry/support-refund/2.2.0.json': archive('2.2.0', { accuracy: 0.95, error_rate: 0 }),
    [MANIFEST]: '# Release manifest\nsupport-refund:\n  labels:\n    production: 2.1.0 # what apps use\n',
    ...files,
  });
  return repo;
}

describe('canary start and abort', () => {
  it('starts a released version that passed the gate, keeping the manifest’s comments', async () => {
    const r = await releasedRepo();
    const run = await cli(r.dir, 'canary', 'start', 'support-refund', '2.2.0', '--steps', '10,50,100', '--min-duration', '12h');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = await r.read(MANIFEST);
    expect(text).toMatch(/^# Release manifest\n/);
    expect(text).toContain('production: 2.1.0 # what apps use');
    expect(text).toMatch(
      /canary:\n {4}version: 2\.2\.0\n {4}steps: \[ 10, 50, 100 \]\n {4}step: 0\n {4}started_at: .+\n {4}min_duration: 12h\n/,
    );
  });

  it('refuses a version that is not released (exit 1) and leaves the manifest alone', async () => {
    const r = await releasedRepo();
    await r.edit({ '.promptgate/registry/support-refund/2.2.0.json': null });
    const before = await r.read(MANIFEST);
    const run = await cli(r.dir, 'canary', 'start', 'support-refund', '2.2.0');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /support-refund 2\.2\.0 is not released: only a released version, evaluated by the gate, may start a canary/,
    );
    expect(await r.read(MANIFEST)).toBe(before);
  });

  it('refuses a version that scored worse than production at release', async () => {
    const r = await releasedRepo({ '.promptgate/registry/support-refund/2.2.0.json': archive('2.2.0', { accuracy: 0.8, error_rate: 0 }) });
    const run = await cli(r.dir, 'canary', 'start', 'support-refund', '2.2.0');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/scored worse than production 2\.1\.0 at release \(accuracy 0\.9 -> 0\.8\)/);
  });

  it('aborts a canary; aborting none is an error', async () => {
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(Date.now()) });
    const run = await cli(r.dir, 'canary', 'abort', 'support-refund');
    expect(run.code).toBe(0);
    const text = await r.read(MANIFEST);
    expect(text).not.toContain('canary');
    expect(text).toContain('production: 2.1.0 # the version apps use');
    const again = await cli(r.dir, 'canary', 'abort', 'support-refund');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/support-refund has no active canary in \.promptgate\/releases\.yaml/);
  });
});

/** Generated events of one scenario in `events/<scenario>.jsonl.gz`. */
function events(
  r: TempRepo,
  scenario: string,
  start: number,
  hours: number,
  { weight, callsPerHour = 200 }: { weight?: number; callsPerHour?: number } = {},
) {
  return generate(join(r.dir, 'events', `${scenario}.jsonl.gz`), [
    '--scenario',
    scenario,
    '--start',
    iso(start),
    '--hours',
    String(hours),
    '--calls-per-hour',
    String(callsPerHour),
    ...(weight === undefined ? [] : ['--weight', String(weight)]),
  ]);
}

describe('canary check', () => {
  it('advances a healthy step with --apply: next step, new started_at, comments kept', async () => {
    const start = Date.now() - 25 * HOUR;
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(start) });
    await events(r, 'healthy', start, 24.9, { weight: 25 });
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl.gz', '--apply', '--json', join(r.scratch, 'canary.json'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ADVANCE {2}support-refund 2\.2\.0 at 25%/m);
    const text = await r.read(MANIFEST);
    expect(text).toContain('    step: 2\n');
    expect(text).not.toContain(iso(start));
    expect(text).toContain('production: 2.1.0 # the version apps use');
    const report = JSON.parse(await readFile(join(r.scratch, 'canary.json'), 'utf8'));
    expect(report).toMatchObject({
      schema: 'promptgate/canary@1',
      result: 'pass',
      applied: true,
      prompts: [{ prompt: 'support-refund', decision: 'advance', step: 1, weight: 25 }],
    });
  });

  it('promotes from the step before 100: production moves, the canary goes', async () => {
    const start = Date.now() - 25 * HOUR;
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(start, '[50, 100]', 0) });
    await events(r, 'healthy', start, 24.9, { weight: 50 });
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl.gz', '--apply');
    expect(run.code).toBe(0);
    const text = await r.read(MANIFEST);
    expect(text).toContain('production: 2.2.0 # the version apps use');
    expect(text).not.toContain('canary');
  });

  it('rolls back a regression automatically with the evidence in markdown, exit 1', async () => {
    const start = Date.now() - 6 * HOUR;
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(start, '[50, 100]', 0) });
    await events(r, 'quality', start, 5.9, { callsPerHour: 1000 });
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl.gz', '--apply', '--markdown');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/### support-refund: 🔴 rollback/);
    expect(run.stdout).toMatch(/The canary regressed on task\\_completed/);
    expect(run.stdout).toContain('```mermaid\nxychart-beta');
    const text = await r.read(MANIFEST);
    expect(text).not.toContain('canary');
    expect(text).toContain('production: 2.1.0 # the version apps use');
  });

  it('holds with an SRM alarm and exit 1, and --apply writes nothing', async () => {
    const start = Date.now() - 6 * HOUR;
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(start, '[50, 100]', 0) });
    const before = await r.read(MANIFEST);
    await events(r, 'srm', start, 5.9, { weight: 50 });
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl.gz', '--apply');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^HOLD {5}support-refund[\s\S]*Sample-ratio mismatch/m);
    expect(await r.read(MANIFEST)).toBe(before);
  });

  it('an events glob that matches no file is a usage error (exit 2), not a silent hold', async () => {
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(Date.now()) });
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No event file matches "events\/\*\.jsonl"/);
    const none = await cli(r.dir, 'canary', 'check');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/canary check needs events: pass --events GLOB/);
  });

  it('a canary whose version is neither archived nor current is an error at its manifest line', async () => {
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(Date.now()).replace('version: 2.2.0', 'version: 2.3.0') });
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^promptgate: \.promptgate\/releases\.yaml:6:\d+: support-refund 2\.3\.0 is neither archived/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('takes a prompt’s current version from its file without reading its dataset', async () => {
    // 2.2.0 is not archived but is the prompt file's version; its dataset is broken, and a check does not need it.
    const r = await releasedRepo({
      [MANIFEST]: manifestWithCanary(Date.now() - HOUR),
      'data/support-refund.jsonl': '{not json\n',
      'events/none.jsonl': '',
    });
    await r.edit({ '.promptgate/registry/support-refund/2.2.0.json': null });
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^HOLD {5}support-refund 2\.2\.0 at 25%/);
  });

  it('with no active canary it passes without reading events', async () => {
    const r = await releasedRepo();
    const run = await cli(r.dir, 'canary', 'check', '--events', 'events/*.jsonl');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/No prompt has an active canary/);
  });
});

describe('action mode canary', () => {
  it('rolls back with apply: true; outputs decisions, changed and the markdown path; job summary; fails the step', async () => {
    const { runAction } = await import('../e2e/harness.js');
    const start = Date.now() - 6 * HOUR;
    const r = await releasedRepo({ [MANIFEST]: manifestWithCanary(start, '[50, 100]', 0) });
    await events(r, 'quality', start, 5.9, { callsPerHour: 1000 });
    // Mode canary calls neither GitHub nor a model: the servers' addresses are never used.
    const run = await runAction({
      workspace: r.dir,
      event: { name: 'schedule', payload: {} },
      inputs: { mode: 'canary', events: 'events/*.jsonl.gz\n', apply: 'true' },
      github: { url: 'http://127.0.0.1:9' } as never,
      model: { env: () => ({}) } as never,
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.outputs.decisions!)).toMatchObject([{ prompt: 'support-refund', decision: 'rollback', step: 0, weight: 50 }]);
    expect(run.outputs.changed).toBe('true');
    expect(run.outputs.result).toBe('fail');
    expect(await readFile(run.outputs.markdown!, 'utf8')).toMatch(/### support-refund: 🔴 rollback/);
    expect(run.summary).toMatch(/```mermaid\nxychart-beta/);
    expect(run.stdout).toMatch(/::error::support-refund: rolled back\./);
    expect(await r.read(MANIFEST)).not.toContain('canary');
  });
});
