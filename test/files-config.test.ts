import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/engine/files/project.js';
import { WorkTree } from '../src/engine/git/source.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(files: Record<string, string>): WorkTree {
  const root = mkdtempSync(join(tmpdir(), 'promptgate-config-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content);
  return new WorkTree(root);
}

const DEFAULTS = {
  prompts: ['prompts/**/*.prompt.yaml'],
  baselines: '.promptgate/baselines',
  cache: '.promptgate/cache',
  releases: '.promptgate/releases.yaml',
  concurrency: 8,
  providers: { openai: { type: 'openai' }, anthropic: { type: 'anthropic' } },
  pinning: { allow: [] },
  pricing: {},
  budget: {},
  // SPEC 4 as updated: alpha defaults to auto.
  gate: { max_drop: 0, alpha: 'auto', max_error_rate: 0 },
};

describe('loadConfig', () => {
  test('paths in a config in a subfolder are relative to that folder (SPEC 9)', () => {
    const src = repo({});
    mkdirSync(join(src.root, 'team'));
    writeFileSync(join(src.root, 'team/promptgate.yaml'), 'prompts: ["p/*.prompt.yaml", "../shared/*.prompt.yaml"]\ncache: .cache\n');
    const { config, findings } = loadConfig(src, 'team/promptgate.yaml');
    expect(findings).toEqual([]);
    expect(config.prompts).toEqual(['team/p/*.prompt.yaml', 'shared/*.prompt.yaml']);
    expect(config.cache).toBe('team/.cache');
    expect(config.baselines).toBe('team/.promptgate/baselines');
  });

  test('no config file means the defaults', () => {
    const { config, findings } = loadConfig(repo({}));
    expect(findings).toEqual([]);
    expect(config.file).toBeUndefined();
    expect(config).toEqual(DEFAULTS);
  });

  test('a config path that was asked for and is missing is a finding', () => {
    const { config, findings } = loadConfig(repo({}), 'ci/promptgate.yaml');
    expect(config).toEqual(DEFAULTS);
    expect(findings).toEqual([
      {
        rule: 'invalid-file',
        severity: 'error',
        file: 'ci/promptgate.yaml',
        message: 'config file ci/promptgate.yaml not found; create it or name an existing file',
      },
    ]);
  });

  test('every key, with provider entries merged over the implicit ones', () => {
    const src = repo({
      'pg.yml': `prompts: ["ai/**/*.yaml"]
baselines: ci/baselines
cache: ci/cache
releases: ci/releases.yaml
concurrency: 2
providers:
  openai: { base_url: "https://proxy.example.com/v1" }
  local: { type: openai, base_url: "http://localhost:11434/v1", api_key_env: OLLAMA_KEY, concurrency: 2, timeout_ms: 60000, max_retries: 4 }
pinning: { allow: ["my-org-finetune-*"] }
pricing:
  gpt-4o-2024-11-20: { input: 2.5, output: 10 }
budget: { max_calls: 5000, max_cost_usd: 5 }
gate: { max_drop: 0.01, alpha: 0.05 }
`,
    });
    expect(loadConfig(src, 'pg.yml')).toEqual({
      config: {
        file: 'pg.yml',
        prompts: ['ai/**/*.yaml'],
        baselines: 'ci/baselines',
        cache: 'ci/cache',
        releases: 'ci/releases.yaml',
        concurrency: 2,
        providers: {
          openai: { type: 'openai', base_url: 'https://proxy.example.com/v1' },
          anthropic: { type: 'anthropic' },
          local: {
            type: 'openai',
            base_url: 'http://localhost:11434/v1',
            api_key_env: 'OLLAMA_KEY',
            concurrency: 2,
            timeout_ms: 60000,
            max_retries: 4,
          },
        },
        pinning: { allow: ['my-org-finetune-*'] },
        pricing: { 'gpt-4o-2024-11-20': { input: 2.5, output: 10 } },
        budget: { max_calls: 5000, max_cost_usd: 5 },
        gate: { max_drop: 0.01, alpha: 0.05, max_error_rate: 0 },
      },
      findings: [],
    });
  });

  test('bad values are located findings, and the valid keys are still used', () => {
    const src = repo({ 'promptgate.yaml': 'cache: ci/cache\nconcurrency: 0\ngate: { alpha: 1, min: 1.5 }\nprompt: ["x"]\n' });
    const { config, findings } = loadConfig(src);
    expect(config).toEqual({ ...DEFAULTS, file: 'promptgate.yaml', cache: 'ci/cache' });
    expect(findings.map((f) => [f.line, f.column, f.key, f.message])).toEqual([
      [2, 14, 'concurrency', 'concurrency: expected a number >= 1, found the number 0; change it'],
      [3, 16, 'gate.alpha', 'gate.alpha: expected a number < 1, found the number 1; change it'],
      [3, 24, 'gate.min', 'gate.min: expected a number <= 1, found the number 1.5; change it'],
      [
        4,
        1,
        'prompt',
        'prompt: unknown key "prompt"; expected one of: prompts, baselines, cache, releases, concurrency, providers, pinning, pricing, budget, gate; remove it or fix its spelling',
      ],
    ]);
    expect(findings.every((f) => f.rule === 'invalid-file' && f.severity === 'error' && f.file === 'promptgate.yaml')).toBe(true);
  });

  test('a new provider needs a type', () => {
    const { config, findings } = loadConfig(repo({ 'promptgate.yaml': 'providers:\n  local: { base_url: "http://localhost:8080" }\n' }));
    expect(Object.keys(config.providers)).toEqual(['openai', 'anthropic']);
    expect(findings).toEqual([
      {
        rule: 'invalid-file',
        severity: 'error',
        file: 'promptgate.yaml',
        line: 2,
        column: 10,
        key: 'providers.local',
        message: 'providers.local: provider "local" has no type; add type: openai or type: anthropic',
      },
    ]);
  });

  test('a config that is not a mapping', () => {
    const { config, findings } = loadConfig(repo({ 'promptgate.yaml': '- prompts\n' }));
    expect(config).toEqual({ ...DEFAULTS, file: 'promptgate.yaml' });
    expect(findings).toEqual([
      {
        rule: 'invalid-file',
        severity: 'error',
        file: 'promptgate.yaml',
        line: 1,
        column: 1,
        message: 'expected a mapping, found a list; change it to a mapping',
      },
    ]);
  });
});
