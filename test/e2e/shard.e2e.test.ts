// Sharding end to end (SPEC 14): `node dist/index.js` with `shard: i/3` in three jobs, then
// `mode: merge`, against loopback GitHub and model servers; the merged report, comment and
// verdict must be the unsharded run's, with the model requests split between the shards.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { startGitHubServer, type GitHubServer } from '../servers/github-server.js';
import { lastUserMessage, startModelServer, type ModelCall, type ModelServer } from '../servers/model-server.js';
import { pullRequestEvent, pullRequestRepo, runAction, type ActionRun, type PullRequestRepo } from './harness.js';

const WORDS = Array.from({ length: 15 }, (_, i) => `word${i}`);
/**
 * The head version answers these wrongly: a regression the gate must find however the cases are
 * split. Six of fifteen: greet repeats (so alpha: auto gates at 0.05) and six flips are significant.
 */
const BROKEN_WORDS = new Set(['word1', 'word2', 'word5', 'word7', 'word11', 'word13']);

function greet(version: string, instruction: string): string {
  return `name: greet
version: ${version}
model: { provider: openai, name: gpt-4o-2024-11-20, temperature: 0 }
messages:
  - role: system
    content: "${instruction}"
  - role: user
    content: "Say {{ word }}"
eval:
  repeat: 2
  cases:
${WORDS.map((w) => `    - { id: ${w}, vars: { word: ${w} }, expected: ${w} }`).join('\n')}
  metrics:
    - { name: accuracy, type: icontains, value: "{{ expected }}" }
    - { name: short, type: max-length, value: 40 }
`;
}

function echo(version: string, suffix: string): string {
  return `name: echo
version: ${version}
model: { provider: openai, name: gpt-4o-2024-11-20, temperature: 0 }
template: "Echo {{ text }}${suffix}"
eval:
  cases:
${WORDS.map((w, i) => `    - { id: e${i}, vars: { text: ${w} }, expected: ${w} }`).join('\n')}
  metrics:
    - { name: mentions, type: contains, value: "{{ expected }}" }
`;
}

const base = {
  'promptgate.yaml': 'prompts: ["prompts/**/*.prompt.yaml"]\nconcurrency: 4\n',
  'prompts/greet.prompt.yaml': greet('1.0.0', 'Repeat the word.'),
  'prompts/echo.prompt.yaml': echo('1.0.0', ''),
  '.gitignore': '.promptgate/cache/\npromptgate-report.json\nshards/\n',
};
const head = {
  'prompts/greet.prompt.yaml': greet('1.1.0', 'Repeat the word. SOMETIMES-BROKEN'),
  'prompts/echo.prompt.yaml': echo('1.0.1', ', please'),
};

function answer(call: ModelCall): string {
  const system = call.messages.find((m) => m.role === 'system')?.content ?? '';
  const asked = lastUserMessage(call).replace(/^(Say|Echo) /, '');
  const word = asked.split(',')[0]!;
  return system.includes('SOMETIMES-BROKEN') && BROKEN_WORDS.has(word) ? 'I would rather not.' : asked;
}

let model: ModelServer;
let github: GitHubServer;
let repo: PullRequestRepo;

beforeAll(async () => {
  model = await startModelServer((call) => ({ text: answer(call) }));
  repo = await pullRequestRepo(base, head);
  github = await startGitHubServer({ files: repo.files });
});
afterAll(async () => {
  await model.close();
  await github.close();
  await rm(repo.tmp, { recursive: true, force: true });
});

/** One job of the workflow; each job starts without the response cache, as on a fresh runner. */
async function job(inputs: Record<string, string>): Promise<{ run: ActionRun; calls: number; writes: number }> {
  await rm(join(repo.workspace, '.promptgate/cache'), { recursive: true, force: true });
  model.reset();
  const writesBefore = github.requests.filter((r) => r.method !== 'GET').length;
  const run = await runAction({
    workspace: repo.workspace,
    event: { name: 'pull_request', payload: pullRequestEvent(repo) },
    inputs,
    github,
    model,
    sha: repo.mergeSha,
  });
  return { run, calls: model.calls.length, writes: github.requests.filter((r) => r.method !== 'GET').length - writesBefore };
}

/** What differs between two runs of the same work by timing alone. */
function timeless(report: Report): unknown {
  return { ...report, duration_ms: 0, prompts: report.prompts.map((p) => ({ ...p, latency_ms: { p50: 0, p95: 0 } })) };
}
const timelessMarkdown = (text: string) =>
  text.replace(/latency p50 [^,]+, p95 [^·\n]+/g, 'latency').replace(/\d+(\.\d+)? (ms|s|min)\b/g, 'TIME');

const shardReport = (i: number) => `shards/shard-${i}/promptgate-report.json`;

describe('a sharded run over an Actions matrix', () => {
  let unsharded: Awaited<ReturnType<typeof job>>;
  let commentAfterUnsharded: string;
  const shards: Awaited<ReturnType<typeof job>>[] = [];

  beforeAll(async () => {
    unsharded = await job({});
    commentAfterUnsharded = github.state.comments[0]!.body;
    for (const i of [1, 2, 3]) shards.push(await job({ shard: `${i}/3`, report: shardReport(i) }));
  }, 300_000);

  it('splits the work: each shard makes part of the calls, together exactly the unsharded run’s, and none comments or fails', () => {
    expect(unsharded.run.code).toBe(1);
    expect(unsharded.run.report?.prompts.map((p) => [p.name, p.status])).toEqual([
      ['echo', 'pass'],
      ['greet', 'regressed'],
    ]);
    // greet: 15 cases x 2 repeats x (base + head); echo: 15 x 1 x 2.
    expect(unsharded.calls).toBe(90);
    for (const shard of shards) {
      expect(shard.run.code).toBe(0);
      expect(shard.writes).toBe(0);
      expect(shard.calls).toBeGreaterThan(0);
      expect(shard.calls).toBeLessThan(90);
      expect(shard.run.stdout).not.toContain('::error');
      expect(shard.run.report?.shard).toMatchObject({ count: 3 });
    }
    expect(shards.map((s) => s.run.report?.shard?.index)).toEqual([1, 2, 3]);
    expect(shards.reduce((n, s) => n + s.calls, 0)).toBe(unsharded.calls);
    expect(shards.reduce((n, s) => n + (s.run.report?.usage.calls ?? 0), 0)).toBe(unsharded.run.report?.usage.calls);
  });

  it('merges into the report, comment, outputs and verdict of the unsharded run, without a model call', async () => {
    const merged = await job({ mode: 'merge', reports: 'shards/*/promptgate-report.json' });
    expect(merged.calls).toBe(0);
    expect(merged.run.code).toBe(unsharded.run.code);
    expect(merged.run.outputs).toEqual({ ...unsharded.run.outputs, report: merged.run.outputs.report });
    expect(timeless(merged.run.report!)).toEqual(timeless(unsharded.run.report!));
    expect(merged.run.report?.prompts.find((p) => p.name === 'greet')?.cases.regressed.sort()).toEqual([...BROKEN_WORDS].sort());
    // The sticky comment is updated in place, to the same text.
    expect(github.state.comments).toHaveLength(1);
    expect(timelessMarkdown(github.state.comments[0]!.body)).toBe(timelessMarkdown(commentAfterUnsharded));
    expect(timelessMarkdown(merged.run.summary)).toBe(timelessMarkdown(unsharded.run.summary));
    expect(merged.run.stdout).toContain('::error title=promptgate%3A greet regressed');
  });

  it('refuses a missing shard, a duplicate shard and shards of different commits, naming them', { timeout: 300_000 }, async () => {
    const refusals = join(repo.workspace, 'refusals');
    const copy = async (dir: string, i: number, edit?: (r: Report) => void) => {
      await mkdir(join(refusals, dir), { recursive: true });
      const target = join(refusals, dir, `shard-${i}.json`);
      if (!edit) return cp(join(repo.workspace, shardReport(i)), target);
      const report = JSON.parse(await readFile(join(repo.workspace, shardReport(i)), 'utf8')) as Report;
      edit(report);
      await writeFile(target, JSON.stringify(report));
    };
    await copy('missing', 1);
    await copy('missing', 2);
    await copy('duplicate', 1);
    await copy('duplicate', 2);
    await copy('duplicate', 3);
    await mkdir(join(refusals, 'duplicate/again'), { recursive: true });
    await cp(join(repo.workspace, shardReport(2)), join(refusals, 'duplicate/again/shard-2.json'));
    await copy('commits', 1);
    await copy('commits', 2);
    await copy('commits', 3, (r) => (r.head.sha = 'f'.repeat(40)));

    const missing = await job({ mode: 'merge', reports: 'refusals/missing/*.json' });
    expect(missing.run.code).toBe(1);
    expect(missing.run.stdout).toContain(
      '::error::missing shard: 3/3 (found 1/3 in refusals/missing/shard-1.json, 2/3 in refusals/missing/shard-2.json)',
    );

    const duplicate = await job({ mode: 'merge', reports: 'refusals/duplicate/**/*.json' });
    expect(duplicate.run.code).toBe(1);
    expect(duplicate.run.stdout).toMatch(
      /::error::duplicate shard: shard 2\/3 is in refusals\/duplicate\/(again\/)?shard-2.json and refusals\/duplicate/,
    );

    const commits = await job({ mode: 'merge', reports: 'refusals/commits/*.json' });
    expect(commits.run.code).toBe(1);
    expect(commits.run.stdout).toContain(
      '::error::partial reports come from different runs: refusals/commits/shard-1.json, refusals/commits/shard-2.json: pr of head',
    );
    expect(commits.run.stdout).toContain('refusals/commits/shard-3.json: pr of head fffffff');

    const none = await job({ mode: 'merge', reports: 'refusals/nothing/*.json' });
    expect(none.run.stdout).toContain('::error::no partial report to merge: nothing matches the input "reports" (refusals/nothing/*.json)');
    const whole = await job({ mode: 'merge', reports: 'promptgate-report.json' });
    expect(whole.run.stdout).toContain('::error::promptgate-report.json is not a partial report');

    const badShard = await job({ shard: '4/3' });
    expect(badShard.run.stdout).toContain('::error::input "shard" must be i/n with 1 <= i <= n');
    const noReports = await job({ mode: 'merge' });
    expect(noReports.run.stdout).toContain('::error::mode merge needs the input "reports"');
    for (const refused of [missing, duplicate, commits, none, whole, badShard, noReports]) {
      expect(refused.calls).toBe(0);
      expect(refused.writes).toBe(0);
    }
  });
});
