import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readInputs } from '../src/action/inputs.js';
import { UserError } from '../src/engine/errors.js';

// @actions/core reads inputs from INPUT_<NAME> with the name upper-cased and dashes kept.
const inputEnv = (name: string) => `INPUT_${name.toUpperCase()}`;

describe('readInputs', () => {
  const saved = { ...process.env };
  let stdout: string[];

  beforeEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_') || key.endsWith('_API_KEY')) delete process.env[key];
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  function set(inputs: Record<string, string>) {
    for (const [name, value] of Object.entries(inputs)) process.env[inputEnv(name)] = value;
  }

  function failure(inputs: Record<string, string>): string {
    set(inputs);
    try {
      readInputs();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return (err as Error).message;
    }
    throw new Error('readInputs accepted bad input');
  }

  it('applies the defaults when no input is given', () => {
    const inputs = readInputs();
    expect({ ...inputs, env: undefined }).toEqual({
      githubToken: '',
      configPath: 'promptgate.yaml',
      mode: 'pr',
      baseline: 'auto',
      comment: true,
      failOnRegression: true,
      acceptLabel: 'promptgate:accept',
      allowUntrustedCheckout: false,
      reportPath: 'promptgate-report.json',
      events: [],
      apply: false,
      env: undefined,
    });
  });

  it('reads every input', () => {
    set({
      'github-token': 'ghs_token',
      config: './config/promptgate.yaml',
      mode: 'drift',
      baseline: 'stored',
      concurrency: '3',
      comment: 'false',
      'fail-on-regression': 'False',
      'accept-label': 'ship-it',
      report: 'out/report.json',
      'max-cost-usd': '2.5',
      events: 'events/a/*.jsonl\n\nevents/b/*.jsonl.gz\n',
      apply: 'true',
    });
    expect({ ...readInputs(), env: undefined }).toEqual({
      githubToken: 'ghs_token',
      configPath: 'config/promptgate.yaml',
      mode: 'drift',
      baseline: 'stored',
      concurrency: 3,
      comment: false,
      failOnRegression: false,
      acceptLabel: 'ship-it',
      allowUntrustedCheckout: false,
      reportPath: 'out/report.json',
      maxCostUsd: 2.5,
      events: ['events/a/*.jsonl', 'events/b/*.jsonl.gz'],
      apply: true,
      env: undefined,
    });
  });

  it('resolves publish-dir against the workspace and refuses a path that is a file', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'promptgate-inputs-'));
    try {
      process.env.GITHUB_WORKSPACE = workspace;
      set({ mode: 'release', 'publish-dir': 'site/bundle' });
      expect(readInputs()).toMatchObject({ mode: 'release', publishDir: join(workspace, 'site/bundle') });
      writeFileSync(join(workspace, 'bundle'), 'not a directory');
      expect(failure({ 'publish-dir': 'bundle' })).toBe(
        'input "publish-dir" must be a directory to write the bundle to (it is created when missing), but that path is a file; got "bundle"',
      );
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('prefers the key inputs over the environment and masks every secret', () => {
    process.env.OPENAI_API_KEY = 'sk-from-env';
    process.env.ANTHROPIC_API_KEY = 'sk-ant-from-env';
    set({ 'github-token': 'ghs_token', 'openai-api-key': 'sk-from-input' });
    const { env } = readInputs();
    expect(env.OPENAI_API_KEY).toBe('sk-from-input');
    expect(env.ANTHROPIC_API_KEY).toBe('sk-ant-from-env');
    const masked = stdout
      .join('')
      .split(/\r?\n/)
      .filter((l) => l.startsWith('::add-mask::'));
    expect(masked).toEqual(['::add-mask::ghs_token', '::add-mask::sk-from-input', '::add-mask::sk-ant-from-env']);
  });

  it.each([
    [{ mode: 'prr' }, 'input "mode" must be one of pr, baseline, drift, lint, merge, canary, release; got "prr"'],
    [{ baseline: 'latest' }, 'input "baseline" must be one of auto, stored, rerun; got "latest"'],
    [{ comment: 'yes' }, 'input "comment" must be true or false; got "yes"'],
    [{ 'fail-on-regression': '0' }, 'input "fail-on-regression" must be true or false; got "0"'],
    [{ concurrency: '2.5' }, 'input "concurrency" must be a whole number of at least 1; got "2.5"'],
    [{ concurrency: '0' }, 'input "concurrency" must be a whole number of at least 1; got "0"'],
    [{ 'max-cost-usd': '$5' }, 'input "max-cost-usd" must be a number of 0 or more; got "$5"'],
    [
      { config: '../elsewhere/promptgate.yaml' },
      'input "config" must be a path relative to the repository root; got "../elsewhere/promptgate.yaml"',
    ],
    [{ config: '/etc/promptgate.yaml' }, 'input "config" must be a path relative to the repository root; got "/etc/promptgate.yaml"'],
    [{ shard: '0/3' }, 'input "shard" must be i/n with 1 <= i <= n (e.g. 2/3 for the second of three shards); got "0/3"'],
    [{ shard: '2' }, 'input "shard" must be i/n with 1 <= i <= n (e.g. 2/3 for the second of three shards); got "2"'],
    [{ shard: '4/3' }, 'input "shard" must be i/n with 1 <= i <= n (e.g. 2/3 for the second of three shards); got "4/3"'],
    [
      { mode: 'merge' },
      'mode merge needs the input "reports": a glob of the shards\' partial reports (e.g. promptgate-shards/*.json, as actions/download-artifact put them)',
    ],
    [{ mode: 'merge', reports: 'r/*.json', shard: '1/2' }, 'mode merge reads every shard: drop the input "shard"'],
    [{ mode: 'release', shard: '1/2' }, 'mode release archives every prompt in one job: drop the input "shard"'],
    [{ 'publish-dir': 'bundle' }, 'input "publish-dir" is read by mode release only (mode is pr): drop it, or set mode: release'],
  ])('rejects %o saying which input is bad, what it accepts and what it got', (inputs, message) => {
    expect(failure(inputs)).toBe(message);
  });
});
