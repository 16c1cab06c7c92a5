import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../src/runtime/index.js';
import { REFUND_V1, REFUND_V2, writeBundle, type TestRelease } from './helpers/runtime-bundle.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function registryWith(release: TestRelease): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'promptgate-bucketing-'));
  dirs.push(dir);
  const v203 = { ...REFUND_V1, version: '2.0.3' };
  writeBundle(dir, [v203, REFUND_V1, REFUND_V2], { 'support-refund': release });
  return openRegistry({ source: dir });
}

const canaryAt = (step: number, salt?: string): TestRelease => ({
  labels: { production: '2.1.0', staging: '2.2.0' },
  segments: { enterprise: { production: '2.0.3' }, startups: { staging: '2.1.0' } },
  canary: { version: '2.2.0', steps: [5, 25, 50, 100], step, ...(salt && { salt }) },
});

/** SPEC 12.1 written out again: h = first 15 hex digits of sha1(salt + "." + key); canary iff h/0xFFFFFFFFFFFFFFF < weight/100. */
function referenceArm(salt: string, key: string, weight: number): 'canary' | 'control' {
  const h = BigInt(`0x${createHash('sha1').update(`${salt}.${key}`).digest('hex').slice(0, 15)}`);
  return h * 100n < BigInt(weight) * 0xfffffffffffffffn ? 'canary' : 'control';
}

const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('sticky canary bucketing (SPEC 12.1)', () => {
  it('matches the reference formula for 10,000 keys and is monotone across 5 -> 25 -> 50 -> 100', async () => {
    const canaryKeys: Array<Set<string>> = [];
    for (const [step, weight] of [5, 25, 50].entries()) {
      const registry = await registryWith(canaryAt(step));
      const arms = KEYS.map((key) => registry.get('support-refund', { key }));
      expect(arms.map((p) => p.arm)).toEqual(KEYS.map((key) => referenceArm('support-refund@2.2.0', key, weight)));
      // Each arm serves its own version.
      expect(new Set(arms.map((p) => `${p.arm} ${p.version}`))).toEqual(new Set(['canary 2.2.0', 'control 2.1.0']));
      const canary = new Set(KEYS.filter((_, i) => arms[i]?.arm === 'canary'));
      expect(Math.abs(canary.size / KEYS.length - weight / 100)).toBeLessThan(0.02);
      canaryKeys.push(canary);
      // Sticky: asking again gives the same arm.
      expect(KEYS.slice(0, 100).map((key) => registry.get('support-refund', { key }).arm)).toEqual(arms.slice(0, 100).map((p) => p.arm));
    }
    // Raising the weight only moves keys from control to canary.
    for (let i = 1; i < canaryKeys.length; i++) {
      for (const key of canaryKeys[i - 1] as Set<string>) expect(canaryKeys[i]?.has(key)).toBe(true);
    }
    // A manifest step at 100 (written by hand: the CLI promotes instead) sends every key to the canary.
    const all = await registryWith(canaryAt(3));
    expect(new Set(KEYS.map((key) => all.get('support-refund', { key }).arm))).toEqual(new Set(['canary']));
  });

  it('uses the manifest salt, and fractional weights exactly', async () => {
    const salted = await registryWith(canaryAt(1, 'rollout-7'));
    expect(KEYS.slice(0, 2000).map((key) => salted.get('support-refund', { key }).arm)).toEqual(
      KEYS.slice(0, 2000).map((key) => referenceArm('rollout-7', key, 25)),
    );
    const half = await registryWith({ labels: { production: '2.1.0' }, canary: { version: '2.2.0', steps: [0.5, 100], step: 0 } });
    // 0.5%: h * 100 * 10 < 5 * H_MAX, the same comparison scaled to integers.
    const expected = KEYS.map((key) => {
      const h = BigInt(`0x${createHash('sha1').update(`support-refund@2.2.0.${key}`).digest('hex').slice(0, 15)}`);
      return h * 1000n < 5n * 0xfffffffffffffffn ? 'canary' : 'control';
    });
    expect(KEYS.map((key) => half.get('support-refund', { key }).arm)).toEqual(expected);
    expect(expected.filter((a) => a === 'canary').length).toBeGreaterThan(0);
  });

  it('draws at random without a key, and keeps the canary to labels.production without a segment override', async () => {
    const registry = await registryWith(canaryAt(2));
    const draws = Array.from({ length: 1000 }, () => registry.get('support-refund').arm);
    expect(new Set(draws)).toEqual(new Set(['canary', 'control']));
    // staging is not under the canary; the enterprise segment pins its own production version.
    expect(registry.get('support-refund', { label: 'staging', key: 'user-1' })).toMatchObject({ version: '2.2.0', arm: null });
    expect(new Set(KEYS.slice(0, 200).map((key) => registry.get('support-refund', { key, segment: 'enterprise' }).version))).toEqual(
      new Set(['2.0.3']),
    );
    expect(registry.get('support-refund', { key: 'user-1', segment: 'enterprise' }).arm).toBeNull();
    // A segment with no override of this label, or not listed, gets the prompt's labels.
    expect(registry.get('support-refund', { label: 'staging', segment: 'enterprise' }).version).toBe('2.2.0');
    expect(registry.get('support-refund', { label: 'staging', segment: 'startups' }).version).toBe('2.1.0');
    expect(registry.get('support-refund', { key: 'user-1', segment: 'unlisted' }).arm).toBe(
      referenceArm('support-refund@2.2.0', 'user-1', 50),
    );
  });
});
