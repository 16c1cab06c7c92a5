// A manifest's canary entry (SPEC 10.1) -> the check's settings, defaults applied: the one
// reading of the entry that `canary check` and the dashboard share.
import { DEFAULT_CANARY, canarySalt, parseDuration } from '../registry/manifest.js';
import type { PromptReleases } from '../types.js';
import type { CanarySettings } from './types.js';

/** Null when the prompt has no active canary. The manifest's schema has checked the entry. */
export function canarySettings(name: string, releases: PromptReleases): CanarySettings | null {
  const canary = releases.canary;
  if (!canary) return null;
  return {
    prompt: name,
    controlVersion: releases.labels['production']!,
    version: canary.version,
    steps: canary.steps,
    step: canary.step,
    startedAt: Date.parse(canary.started_at),
    salt: canarySalt(name, canary),
    minSamples: canary.min_samples ?? DEFAULT_CANARY.min_samples,
    minDurationMs: parseDuration(canary.min_duration ?? DEFAULT_CANARY.min_duration)!,
    metrics: canary.metrics,
    alpha: canary.alpha ?? DEFAULT_CANARY.alpha,
  };
}
