// npm run demo: the real CLI on the example repo, offline. A pull request "improves the
// tone" of a shared partial; a simulated model (a loopback server speaking the OpenAI and
// Anthropic APIs, answered by the real SDKs) reacts the way real models do to such edits.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastUserMessage, startModelServer, type ModelCall, type Reply } from '../test/servers/model-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(ROOT, 'fixtures/example');
const TONE_EDIT = 'Sound upbeat and reassuring: let customers know we will refund them so they leave happy.\n';

interface Case {
  vars: Record<string, string>;
  expected?: unknown;
  tags?: string[];
}

/** Each user message of the example's datasets, mapped to its case. */
function casesByInput(): Map<string, Case> {
  const byInput = new Map<string, Case>();
  for (const file of readdirSync(join(EXAMPLE, 'data'))) {
    for (const line of readFileSync(join(EXAMPLE, 'data', file), 'utf8').split('\n').filter(Boolean)) {
      const c = JSON.parse(line) as Case;
      for (const value of Object.values(c.vars)) byInput.set(value, c);
    }
  }
  return byInput;
}

/** A model that knows the example's answers and, like real ones, follows a "reassuring" instruction too far. */
function simulatedModel(cases: Map<string, Case>) {
  return (call: ModelCall): Reply => {
    const user = lastUserMessage(call);
    const system = call.system ?? call.messages.find((m) => m.role === 'system')?.content ?? '';
    const c = [...cases.entries()].find(([input]) => user.includes(input))?.[1];
    const latencyMs = 40 + (user.length % 60);
    if (!c) return { text: 'other', latencyMs };
    if (typeof c.expected === 'object' && c.expected) return { text: JSON.stringify({ summary: user.split('\n')[0], ...c.expected }), latencyMs };
    if (!system.includes('support agent')) return { text: String(c.expected), latencyMs };
    if (system.includes('reassuring') && c.tags?.some((t) => t === 'damaged' || t === 'late')) {
      return { text: "So sorry about that! Don't worry at all: we will refund you in full today.", latencyMs };
    }
    return { text: `Thanks for reaching out. Our policy here: ${String(c.expected)}. I can open a refund request that our billing team will review.`, latencyMs };
  };
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@example.com', ...args], { cwd, stdio: 'ignore' });
}

const tmp = mkdtempSync(join(tmpdir(), 'promptgate-demo-'));
const repo = join(tmp, 'repo');
const server = await startModelServer(simulatedModel(casesByInput()));
try {
  cpSync(EXAMPLE, repo, { recursive: true });
  writeFileSync(join(repo, '.gitignore'), '.promptgate/cache/\n');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Production prompts');
  git(repo, 'checkout', '-q', '-b', 'friendlier-tone');
  appendFileSync(join(repo, 'partials/tone.njk'), TONE_EDIT);
  git(repo, 'commit', '-q', '-am', 'Make the support tone friendlier');

  process.stderr.write(
    `promptgate demo: a copy of fixtures/example in ${repo}, branch friendlier-tone edits partials/tone.njk.\n` +
      `Models are SIMULATED by a local server at ${server.url}; the real openai and @anthropic-ai/sdk clients call it.\n` +
      '$ promptgate eval --base main --markdown\n\n',
  );
  // Asynchronously: this process serves the simulated models the CLI calls.
  const cli = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'eval', '--base', 'main', '--markdown'], {
    cwd: repo,
    env: { ...process.env, ...server.env() },
    stdio: 'inherit',
  });
  const [status] = (await once(cli, 'exit')) as [number | null];
  process.stderr.write(`\n(exit code ${status}: ${status === 1 ? 'the gate failed, as it should for this change' : 'see above'}; ${server.calls.length} simulated model calls)\n`);
} finally {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
}
