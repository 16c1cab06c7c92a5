// npm run demo: the real CLI on the example repo, offline. A pull request "improves the
// tone" of a shared partial; a simulated model (a loopback server speaking the OpenAI and
// Anthropic APIs, answered by the real SDKs) reacts the way real models do to such edits.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { EXAMPLE } from '../test/helpers/example-repo.js';
import { supportRefundEvents } from '../test/helpers/events.js';
import { TONE_REGRESSION, exampleModel } from '../test/helpers/example-model.js';
import { startModelServer, type Handler } from '../test/servers/model-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The pages the demo writes, kept after it ends: open them in a browser. */
const OUT = join(ROOT, '.tmp/demo');

/** The simulated model of the tests, with a latency that varies a little, as real ones do. */
const simulatedModel: Handler = async (call, index) => ({ ...(await exampleModel(call, index)), latencyMs: 40 + (index % 7) * 15 });

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@example.com', ...args], { cwd, stdio: 'ignore' });
}

const tmp = mkdtempSync(join(tmpdir(), 'promptgate-demo-'));
const repo = join(tmp, 'repo');
const server = await startModelServer(simulatedModel);
try {
  cpSync(EXAMPLE, repo, { recursive: true });
  writeFileSync(join(repo, '.gitignore'), '.promptgate/cache/\n');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Production prompts');
  git(repo, 'checkout', '-q', '-b', 'friendlier-tone');
  appendFileSync(join(repo, 'partials/tone.njk'), TONE_REGRESSION);
  git(repo, 'commit', '-q', '-am', 'Make the support tone friendlier');

  process.stderr.write(
    `promptgate demo: a copy of fixtures/example in ${repo}, branch friendlier-tone edits partials/tone.njk.\n` +
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
