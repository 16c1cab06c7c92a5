// The package as users get it: `npm pack`, the tarball installed into a fresh project,
// `import ... from 'promptgate'` rendering a prompt under Node 20 and the runner's Node 24,
// and its declarations compiling in a consumer's strict TypeScript.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleModel } from '../helpers/example-model.js';
import { EXAMPLE } from '../helpers/example-repo.js';
import { publishExample } from '../helpers/runtime-bundle.js';
import { startBundleServer } from '../servers/bundle-server.js';
import { lastUserMessage, startModelServer } from '../servers/model-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE24 = process.env['E2E_NODE'] ?? join(ROOT, '.tmp/node24/node_modules/node/bin/node');
const NODES = [process.execPath, ...(existsSync(NODE24) && NODE24 !== process.execPath ? [NODE24] : [])];

const CONSUMER_JS = `
import { openRegistry, jsonlSink, PromptNotFoundError } from 'promptgate';
const registry = await openRegistry({ source: './bundle', onEvent: jsonlSink('./events.jsonl') });
const prompt = registry.get('support-refund', { key: 'user-1' });
const messages = prompt.render({ company_name: 'Acme', question: 'Refund?' });
prompt.record({ latency_ms: 5, input_tokens: 3, output_tokens: 2 });
let notFound = '';
try { registry.get('missing'); } catch (error) { notFound = error instanceof PromptNotFoundError ? error.name : 'other'; }
console.log(JSON.stringify({ node: process.version, version: prompt.version, messages, notFound }));
`;

const CONSUMER_TS = `
import { openRegistry, jsonlSink, PromptNotFoundError, type CallEvent, type PromptEvent, type Registry, type RenderedMessage } from 'promptgate';
const registry: Registry = await openRegistry({ source: './bundle', fallback: './bundle', ttlMs: 60_000, fetch, onEvent: jsonlSink('e.jsonl'), onError: (e: Error) => console.error(e.message) });
const prompt = registry.get('support-refund', { label: 'production', key: 'u', segment: 'enterprise' });
const messages: RenderedMessage[] = prompt.render({ company_name: 'Acme', question: 'q' });
const model: string = prompt.model.name;
const arm: 'canary' | 'control' | null = prompt.arm;
const call: CallEvent = prompt.record({ latency_ms: 1, error: null, metrics: { ok: 1 } });
const handle = (event: PromptEvent) => event.type === 'call' ? event.latency_ms : event.metrics;
registry.feedback(call, { user_rating: 1 });
// @ts-expect-error labels are strings
registry.get('support-refund', { label: 1 });
console.log(messages, model, arm, handle, PromptNotFoundError, prompt.attributes['gen_ai.prompt.name'], prompt.fallback, prompt.sourceUrl);
`;

let project: string;
/** The bundle `promptgate publish` wrote from fixtures/example (every prompt's current version in production). */
let bundleDir: string;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'promptgate-consumer-'));
  bundleDir = join(project, 'bundle');
  // Release evaluates each version: the simulated example model answers.
  const releaseModels = await startModelServer(exampleModel);
  await publishExample(bundleDir, releaseModels.env()).finally(() => releaseModels.close());
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' }),
  ) as Array<{ filename: string }>;
  const tarball = join(project, packed[0]!.filename);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The README's examples call the model with the app's own SDKs: the package brings none.
  const sdks = ['openai', '@anthropic-ai/sdk'].map((name) => `${name}@${installedVersion(name)}`);
  const install = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--no-package-lock', tarball, ...sdks];
  execFileSync('npm', install, {
    cwd: project,
    stdio: 'ignore',
  });
  writeFileSync(join(project, 'consumer.mjs'), CONSUMER_JS);
  writeFileSync(join(project, 'consumer.ts'), CONSUMER_TS);
}, 300_000);

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('the installed package', () => {
  it.each(NODES)('imports and renders under %s', (node) => {
    const out = JSON.parse(execFileSync(node, ['consumer.mjs'], { cwd: project, encoding: 'utf8' })) as Record<string, unknown>;
    const tone = readFileSync(join(EXAMPLE, 'partials/tone.njk'), 'utf8');
    expect(out).toMatchObject({
      version: '2.1.0',
      messages: [
        { role: 'system', content: `${tone}\nYou are a support agent for Acme.\n` },
        { role: 'user', content: 'Refund?' },
      ],
      notFound: 'PromptNotFoundError',
    });
  });

  it('runs the README runtime examples as written, against the bundle published from fixtures/example, over HTTP', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .filter((code) => code.includes("from 'promptgate'"));
    expect(examples.map((code) => /from '(openai|@anthropic-ai\/sdk)'/.exec(code)?.[1])).toEqual(['openai', '@anthropic-ai/sdk']);
    const bundle = await startBundleServer(bundleDir);
    const models = await startModelServer((call) => ({ text: `answer to: ${lastUserMessage(call)}`, inputTokens: 50, outputTokens: 9 }));
    try {
      for (const [i, code] of examples.entries()) {
        writeFileSync(join(project, `readme-${i}.mjs`), code);
        // Asynchronously: the bundle and model servers answer from this process.
        const { stdout } = await promisify(execFile)(process.execPath, [`readme-${i}.mjs`], {
          cwd: project,
          encoding: 'utf8',
          env: { ...process.env, ...models.env(), PROMPTS_URL: bundle.url },
        });
        expect(stdout).toContain('answer to:');
      }
      const [openaiCall, anthropicCall] = models.calls;
      expect(openaiCall).toMatchObject({ api: 'openai', model: 'gpt-4o-2024-11-20', params: { temperature: 0, max_tokens: 300 } });
      expect(openaiCall?.messages[0]?.content).toContain('Never promise a refund');
      expect(openaiCall?.messages[0]?.content).toContain('You are a support agent for Acme Outdoor.');
      expect(anthropicCall).toMatchObject({
        api: 'anthropic',
        model: 'claude-haiku-4-5-20251001',
        params: { temperature: 0, max_tokens: 400 },
      });
      expect(anthropicCall?.messages[0]?.content).toContain('Order 1234 arrived with a torn strap.');
      const events = readFileSync(join(project, 'promptgate-events.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.map((e) => [e['type'], e['prompt'], e['input_tokens']])).toEqual([
        ['call', 'support-refund', 50],
        ['feedback', 'support-refund', undefined],
        ['call', 'ticket-summary', 50],
      ]);
    } finally {
      await Promise.all([bundle.close(), models.close()]);
    }
  });

  it('has declarations that compile in a strict consumer', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
      } catch (error) {
        return (error as { stdout: string }).stdout;
      }
    })();
    expect(result).toBe('');
  });
});
