// The package as a user installs it: `npm pack`, the tarball installed into a fresh project
// outside this repository, `npx promptgate` run from there under the Node of E2E_NODE (the
// runner's Node 24 in CI's second pass) or this one.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/engine/version.js';
import { initExampleModel } from '../helpers/init-model.js';
import { startModelServer, type ModelServer } from '../servers/model-server.js';
import { git, ROOT } from './harness.js';

const exec = promisify(execFile);
const NODE = process.env.E2E_NODE ?? process.execPath;

let tmp: string;
let app: string;
let server: ModelServer;
let installLog: string;
// npx and the bin's `#!/usr/bin/env node` both take the first node on PATH.
const env = () => ({
  ...process.env,
  ...server.env(),
  PATH: `${dirname(NODE)}${delimiter}${process.env.PATH ?? ''}`,
  npm_config_update_notifier: 'false',
});

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'promptgate-pack-'));
  server = await startModelServer(initExampleModel);
  await exec('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: ROOT });
  const [tarball] = (await readdir(tmp)).filter((f) => f.endsWith('.tgz'));
  app = join(tmp, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  await git(app, 'init', '-q');
  const install = await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(tmp, tarball!)], {
    cwd: app,
    env: env(),
  });
  installLog = install.stdout + install.stderr;
}, 180_000);
afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

const npx = (...args: string[]) =>
  exec('npx', ['promptgate', ...args], { cwd: app, env: env() }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );

describe(`the packed tarball, installed and run with ${NODE === process.execPath ? 'this Node' : NODE}`, () => {
  it('installs nothing but itself, without engine warnings', async () => {
    expect(installLog).not.toContain('EBADENGINE');
    expect(installLog).toContain('added 1 package');
  });

  it('npx promptgate --version, init, then eval --all against an OpenAI-compatible server', async () => {
    expect(await npx('--version')).toMatchObject({ code: 0, stdout: `${TOOL_VERSION}\n` });

    const init = await npx('init');
    expect(init.code).toBe(0);
    expect(init.stdout.split('\n')[0]).toBe('created  promptgate.yaml');

    const evaluated = await npx('eval', '--all');
    expect(evaluated.stderr).not.toContain('Error');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/^ok {3}review-sentiment \(added, new\)$/m);
    expect(evaluated.stdout).toMatch(/^PASS: 1 prompt; 6 calls, 0 cached, <?\$0\.\d{4}, /m);
    expect(server.calls).toHaveLength(6);
  });

  it('keeps the compiled code of its chunks on disk for the next run where Node can (22.8 and later)', async () => {
    const version = (await exec(NODE, ['-p', 'process.versions.node'])).stdout.trim().split('.').map(Number);
    const nodeCaches = version[0]! > 22 || (version[0] === 22 && version[1]! >= 8);
    const own = await mkdtemp(join(tmpdir(), 'promptgate-tmpdir-'));
    try {
      const { NODE_COMPILE_CACHE: _set, NODE_DISABLE_COMPILE_CACHE: _off, ...rest }: NodeJS.ProcessEnv = env();
      // Node itself, not npx: npm keeps its own compiled code in the same place.
      const cli = join(app, 'node_modules', 'promptgate', 'dist', 'cli.js');
      const linted = await exec(NODE, [cli, 'lint'], { cwd: app, env: { ...rest, TMPDIR: own } });
      expect(linted.stdout).toMatch(/^PASS: 0 findings/m);
      const cached = await readdir(join(own, 'node-compile-cache'), { recursive: true }).catch(() => []);
      // The entry is compiled before it enables the cache: what is there is the engine's chunks.
      expect(cached.length > 0).toBe(nodeCaches);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});
