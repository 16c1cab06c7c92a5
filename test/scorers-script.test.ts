import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/engine/errors.js';
import { createScorer } from '../src/engine/scorers/index.js';
import { aCase, deps } from './scorers-helpers.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'promptgate-script-'));
  const scripts: Record<string, string> = {
    'number.mjs': 'export default ({ output }) => Math.min(1, output.length / 10);',
    'boolean.mjs': 'export default ({ output, expected }) => output.includes(expected);',
    'object.mjs':
      'export default async (ctx) => ({ score: ctx.case.tags.includes("vip") ? 1 : 0.5, reason: `${ctx.case.id}:${ctx.vars.name}` });',
    'invalid.mjs': 'export default ({ output }) => (output === "nan" ? NaN : output === "big" ? 2 : "good");',
    'throws.mjs': 'export default () => { throw new Error("boom"); };',
    'no-default.mjs': 'export const score = () => 1;',
  };
  await Promise.all(Object.entries(scripts).map(([name, text]) => writeFile(join(root, name), text)));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const scriptScorer = (path: string) => createScorer({ name: 'tone', type: 'script', path }, deps({ root }));

describe('script scorer', () => {
  it('accepts a number', async () => {
    const scorer = await scriptScorer('number.mjs');
    expect(await scorer({ output: 'hello', case: aCase() })).toEqual({ score: 0.5 });
    expect(await scorer({ output: '', case: aCase() })).toEqual({ score: 0 });
  });

  it('accepts a boolean, with expected in the context', async () => {
    const scorer = await scriptScorer('boolean.mjs');
    expect(await scorer({ output: 'Paris it is', case: aCase({ expected: 'Paris' }) })).toEqual({ score: 1 });
    expect(await scorer({ output: 'Rome', case: aCase({ expected: 'Paris' }) })).toEqual({ score: 0 });
  });

  it('accepts {score, reason} from an async export, with vars, id and tags in the context', async () => {
    const scorer = await scriptScorer('object.mjs');
    expect(await scorer({ output: 'x', case: aCase({ id: 'vip-1', vars: { name: 'Ada' }, tags: ['vip'] }) })).toEqual({
      score: 1,
      reason: 'vip-1:Ada',
    });
    expect(await scorer({ output: 'x', case: aCase({ id: 'c2', vars: { name: 'Bo' } }) })).toEqual({ score: 0.5, reason: 'c2:Bo' });
  });

  it('fails the sample on a return value that is not a score, naming the script and the value', async () => {
    const scorer = await scriptScorer('invalid.mjs');
    const message = (v: string) =>
      `scorer script invalid.mjs returned ${v}; it must return a number in [0, 1], a boolean, or {score, reason}`;
    await expect(scorer({ output: 'nan', case: aCase() })).rejects.toThrow(message('NaN'));
    await expect(scorer({ output: 'big', case: aCase() })).rejects.toThrow(message('2'));
    await expect(scorer({ output: 'other', case: aCase() })).rejects.toThrow(message('"good"'));
  });

  it('passes a script exception through as the sample error', async () => {
    const scorer = await scriptScorer('throws.mjs');
    await expect(scorer({ output: 'x', case: aCase() })).rejects.toThrow('boom');
  });

  it('reports a missing module or a missing default export as a user error', async () => {
    await expect(scriptScorer('missing.mjs')).rejects.toThrow(/cannot load scorer script missing.mjs/);
    await expect(scriptScorer('missing.mjs')).rejects.toBeInstanceOf(UserError);
    await expect(scriptScorer('no-default.mjs')).rejects.toThrow('scorer script no-default.mjs must have a default export');
  });
});
