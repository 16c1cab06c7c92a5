// npm run demo: the real CLI on the example repo, offline. A pull request "improves the
// tone" of a shared partial and bumps the prompt's version; a simulated model (a loopback
// server speaking the OpenAI and Anthropic APIs, answered by the real SDKs) reacts the way
// real models do to such edits. The demo's dataset has more damaged-item questions than the
// test fixture, so the regression is large enough to be significant, not noise.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { EXAMPLE, bumpPatch } from '../test/helpers/example-repo.js';
import { showPromotion } from './demo-promotion.js';
import { supportRefundEvents } from '../test/helpers/events.js';
import { TONE_REGRESSION, exampleModel, isSupportRefund, systemText } from '../test/helpers/example-model.js';
import { lastUserMessage, startModelServer, type Handler } from '../test/servers/model-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The pages the demo writes, kept after it ends: open them in a browser. */
const OUT = join(ROOT, '.tmp/demo');

/** More customers with damaged goods: the cases a refund-promising tone gets wrong. */
const DAMAGED_QUESTIONS = [
  'The stove I ordered arrived with a cracked burner. What can I do?',
  'My new headlamp was dead out of the box. I want my money back.',
  'The kayak paddle came snapped in two. Can you refund it?',
  'Both trekking poles arrived bent. How do I get a refund?',
  'The cooler lid was shattered when it arrived. Refund please.',
  'My rain jacket came with a ripped seam. I want a refund.',
];
const EXTRA_CASES = DAMAGED_QUESTIONS.map((question, i) => ({
  id: `damaged-${i + 1}`,
  vars: { company_name: 'Acme Outfitters', question },
  expected: 'refund request',
  tags: ['damaged'],
}));

/**
 * The simulated model of the tests, answering the extra cases the way it answers the fixture's
 * damaged items, with a latency that varies a little, as real ones do.
 */
const simulatedModel: Handler = async (call, index) => {
  const latencyMs = 40 + (index % 7) * 15;
  if (isSupportRefund(call) && DAMAGED_QUESTIONS.includes(lastUserMessage(call))) {
    const text = systemText(call).includes('reassuring')
      ? "So sorry! Don't worry: we will refund you in full today."
      : 'I am sorry it arrived damaged. Please open a refund request with a photo and we will review it within two days.';
    return { text, latencyMs };
  }
  return { ...(await exampleModel(call, index)), latencyMs };
};

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@example.com', ...args], { cwd, stdio: 'ignore' });
}

const tmp = mkdtempSync(join(tmpdir(), 'promptgate-demo-'));
const repo = join(tmp, 'repo');
const server = await startModelServer(simulatedModel);
try {
  cpSync(EXAMPLE, repo, { recursive: true });
  writeFileSync(join(repo, '.gitignore'), '.promptgate/cache/\n');
  appendFileSync(join(repo, 'data/support-refund.jsonl'), EXTRA_CASES.map((c) => `${JSON.stringify(c)}\n`).join(''));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Production prompts');
  git(repo, 'checkout', '-q', '-b', 'friendlier-tone');
  appendFileSync(join(repo, 'partials/tone.njk'), TONE_REGRESSION);
  const prompt = join(repo, 'prompts/support-refund.prompt.yaml');
  writeFileSync(prompt, bumpPatch(readFileSync(prompt, 'utf8')));
  git(repo, 'commit', '-q', '-am', 'Make the support tone friendlier (support-refund 2.1.1)');

  process.stderr.write(
    `promptgate demo: a copy of fixtures/example in ${repo}, branch friendlier-tone edits partials/tone.njk and bumps support-refund to 2.1.1.\n` +
      `Models are SIMULATED by a local server at ${server.url}; the real openai and @anthropic-ai/sdk clients call it.\n` +
      `$ promptgate eval --base main --markdown --html ${join(OUT, 'eval-report.html')}\n\n`,
  );
  // Asynchronously: this process serves the simulated models the CLI calls.
  mkdirSync(OUT, { recursive: true });
  const cli = spawn(
    process.execPath,
    [join(ROOT, 'dist/cli.js'), 'eval', '--base', 'main', '--markdown', '--html', join(OUT, 'eval-report.html')],
    {
      cwd: repo,
      env: { ...process.env, ...server.env() },
      stdio: 'inherit',
    },
  );
  const [status] = (await once(cli, 'exit')) as [number | null];
  process.stderr.write(
    `\n(exit code ${status}: ${status === 1 ? 'the gate failed, as it should for this change' : 'see above'}; ${server.calls.length} simulated model calls)\n`,
  );

  await showPromotion(join(ROOT, 'dist/cli.js'), repo, server.env());

  // A week of production traffic with a canary at 25%, as the runtime library's jsonlSink writes it.
  mkdirSync(join(repo, 'events'));
  writeFileSync(
    join(repo, 'events/calls.jsonl.gz'),
    gzipSync(`${supportRefundEvents({ start: '2026-11-23T00:00:00Z', days: 7, calls: 20_000 }).join('\n')}\n`),
  );
  mkdirSync(join(repo, '.promptgate'), { recursive: true });
  writeFileSync(
    join(repo, '.promptgate/releases.yaml'),
    'support-refund:\n  labels:\n    production: 2.1.0\n  canary:\n    version: 2.2.0\n    steps: [5, 25, 50, 100]\n    step: 1\n    started_at: "2026-11-23T00:00:00Z"\n',
  );
  process.stderr.write(`\n$ promptgate dashboard --events 'events/*.jsonl.gz' --out ${join(OUT, 'dashboard.html')}\n`);
  const dashboard = spawn(
    process.execPath,
    [join(ROOT, 'dist/cli.js'), 'dashboard', '--events', 'events/*.jsonl.gz', '--out', join(OUT, 'dashboard.html')],
    {
      cwd: repo,
      stdio: 'inherit',
    },
  );
  await once(dashboard, 'exit');
  process.stderr.write(`\nOpen ${join(OUT, 'eval-report.html')} and ${join(OUT, 'dashboard.html')} in a browser.\n`);
} finally {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
}
