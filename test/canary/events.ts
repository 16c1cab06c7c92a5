// Writes seeded events with the fixture generator (the same script the README uses).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without types
import { options, writeEvents } from '../../fixtures/canary/generate-events.mjs';
import { afterAll } from 'vitest';
import type { CanarySettings } from '../../src/engine/canary/types.js';

export const START = Date.parse('2026-11-30T10:00:00Z');
export const HOUR = 3_600_000;

const scratchDirs: string[] = [];
afterAll(() => Promise.all(scratchDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

/** A temporary directory, removed after the test file's tests. */
export async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'promptgate-canary-'));
  scratchDirs.push(dir);
  return dir;
}

/** Writes a file of events; `args` are the generator's command-line options. */
export async function generate(out: string, args: string[]): Promise<string> {
  await (writeEvents as (o: unknown) => Promise<void>)((options as (a: string[]) => unknown)(['--out', out, ...args]));
  return out;
}

export function settings(overrides: Partial<CanarySettings> = {}): CanarySettings {
  return {
    prompt: 'support-refund',
    controlVersion: '2.1.0',
    version: '2.2.0',
    steps: [50, 100],
    step: 0,
    startedAt: START,
    salt: 'support-refund@2.2.0',
    minSamples: 200,
    minDurationMs: 24 * HOUR,
    metrics: undefined,
    alpha: 0.05,
    ...overrides,
  };
}
