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
    'throws.mjs': 'export default () => {\n  throw new Error("boom");\n};',
    'no-default.mjs': 'export const score = () => 1;',
    // Misbehaves when the output asks it to; otherwise scores 1.
    'hostile.mjs': [
      'export default async ({ output }) => {',
      '  if (output === "loop") for (;;);',
      '  if (output === "never") return new Promise(() => {});',
      '  if (output === "bomb") { const held = []; for (;;) held.push(new Array(100_000).fill(Math.random())); }',
      '  if (output === "exit") process.exit(3);',
      '  if (output === "function") return () => 1;',
      '  return 1;',
      '};',
    ].join('\n'),
    // A top-level await that never settles, kept alive by a timer.
    'loads-forever.mjs': 'setInterval(() => {}, 1000);\nawait new Promise(() => {});\nexport default () => 1;',
    'syntax-error.mjs': 'export default () => {\n  return 1 +;\n};',
  };
  await Promise.all(Object.entries(scripts).map(([name, text]) => writeFile(join(root, name), text)));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const scriptScorer = (path: string, limits: { timeout_ms?: number; memory_mb?: number } = {}) =>
  createScorer({ name: 'tone', type: 'script', path, ...limits }, deps({ root }));

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

  it('passes a script exception through as the sample error, naming the script and the line', async () => {
    const scorer = await scriptScorer('throws.mjs');
    await expect(scorer({ output: 'x', case: aCase() })).rejects.toThrow('scorer script throws.mjs threw Error: boom (at throws.mjs:2:9)');
  });

  it('reports a module that does not parse as a user error located at the line', async () => {
    const error = await scriptScorer('syntax-error.mjs').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /^metric "tone" \(script\): cannot load scorer script syntax-error\.mjs: SyntaxError: .* \(at syntax-error\.mjs:2\)$/,
    );
    expect((error as UserError).location).toEqual({ file: 'syntax-error.mjs', line: 2 });
  });

  it('reports a missing module or a missing default export as a user error', async () => {
    await expect(scriptScorer('missing.mjs')).rejects.toThrow(/cannot load scorer script missing.mjs/);
    await expect(scriptScorer('missing.mjs')).rejects.toBeInstanceOf(UserError);
    await expect(scriptScorer('no-default.mjs')).rejects.toThrow('scorer script no-default.mjs must have a default export');
  });
});

describe('script scorer limits', () => {
  const sample = (output: string) => ({ output, case: aCase() });

  it('stops an endless loop and a promise that never settles at timeout_ms; the next sample is scored', async () => {
    const scorer = await scriptScorer('hostile.mjs', { timeout_ms: 300 });
    await expect(scorer(sample('loop'))).rejects.toThrow(
      'scorer script hostile.mjs did not finish scoring within 300 ms (an endless loop, or a promise that never settles?) and was stopped; ' +
        'make it faster, or raise timeout_ms on the metric',
    );
    expect(await scorer(sample('fine'))).toEqual({ score: 1 });
    await expect(scorer(sample('never'))).rejects.toThrow('did not finish scoring within 300 ms');
    expect(await scorer(sample('fine'))).toEqual({ score: 1 });
    await scorer.close?.();
  });

  it('stops a memory bomb at memory_mb; the next sample is scored', async () => {
    const scorer = await scriptScorer('hostile.mjs', { memory_mb: 32, timeout_ms: 30_000 });
    await expect(scorer(sample('bomb'))).rejects.toThrow(
      'scorer script hostile.mjs ran out of memory while scoring (over its 32 MB heap) and was stopped; use less memory, or raise memory_mb on the metric',
    );
    expect(await scorer(sample('fine'))).toEqual({ score: 1 });
    await scorer.close?.();
  });

  it('errors the sample when the script ends its thread or returns what cannot be copied out', async () => {
    const scorer = await scriptScorer('hostile.mjs');
    await expect(scorer(sample('exit'))).rejects.toThrow(
      'scorer script hostile.mjs ended its worker thread (exit code 3) while scoring; a scorer must return a score',
    );
    await expect(scorer(sample('function'))).rejects.toThrow(
      'scorer script hostile.mjs returned () => 1, which cannot leave its worker thread',
    );
    expect(await scorer(sample('fine'))).toEqual({ score: 1 });
    await scorer.close?.();
  });

  it('after three stops in a row, later samples error at once instead of each waiting for the timeout', async () => {
    const scorer = await scriptScorer('hostile.mjs', { timeout_ms: 200 });
    for (const output of ['loop', 'never', 'loop'])
      await expect(scorer(sample(output))).rejects.toThrow('did not finish scoring within 200 ms');
    await expect(scorer(sample('fine'))).rejects.toThrow(
      /^scorer script hostile\.mjs was not run: it was stopped 3 times in a row \(last: did not finish scoring within 200 ms/,
    );
    await scorer.close?.();
  });

  it('a module that never finishes loading is a user error (after timeout_ms, but no less than 5 s)', async () => {
    const error = await scriptScorer('loads-forever.mjs', { timeout_ms: 300 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('scorer script loads-forever.mjs did not finish loading within 5000 ms');
  });

  it('after close, a call is refused and no worker is left running', async () => {
    const scorer = await scriptScorer('number.mjs');
    await scorer.close?.();
    await expect(scorer(sample('x'))).rejects.toThrow('scorer script number.mjs was called after its run ended');
  });
});
