import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CANARY_OUTPUT } from '../src/action/canary.js';
import { INPUT } from '../src/action/inputs.js';
import { OUTPUT } from '../src/action/outputs.js';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUT).sort());
    for (const input of Object.values(action.inputs)) expect(input.description.length).toBeGreaterThan(10);
  });

  it('has the documented defaults', () => {
    const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default]));
    expect(defaults).toEqual({
      'github-token': '${{ github.token }}',
      config: 'promptgate.yaml',
      mode: 'pr',
      baseline: 'auto',
      concurrency: '',
      comment: 'true',
      'fail-on-regression': 'true',
      'accept-label': 'promptgate:accept',
      report: 'promptgate-report.json',
      'html-report': '',
      'max-cost-usd': '',
      'openai-api-key': '',
      'anthropic-api-key': '',
      shard: '',
      reports: '',
      events: '',
      apply: 'false',
      'publish-dir': '',
      'allow-untrusted-checkout': 'false',
    });
  });

  it('declares exactly the outputs the action sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...Object.values(OUTPUT), ...Object.values(CANARY_OUTPUT)].sort());
  });

  it('runs the bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
