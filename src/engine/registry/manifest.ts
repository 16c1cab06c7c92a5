// The release manifest (SPEC 10.1): which version each label of a prompt points at, per
// segment, and the canary in progress. Loaded like every other file: problems are located
// `invalid-file` findings, never exceptions.
import semver from 'semver';
import * as z from 'zod';
import type { FileSource } from '../git/source.js';
import { validate } from '../files/issues.js';
import type { KeyPath, Position } from '../files/parse.js';
import { MAX_FILE_BYTES, readStructured } from '../files/read.js';
import { PROMPT_NAME } from '../files/schemas.js';
import { SETTINGS } from '../settings.js';
import type { CanarySpec, Finding, ReleaseManifest } from '../types.js';

export const DEFAULT_CANARY = { min_samples: 200, min_duration: '24h', alpha: 0.05 } as const;

const DURATION = /^(\d+(?:\.\d+)?)([smhd])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `24h`, `30m`, `2d`, `90s` in milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** The salt a canary buckets with: its own, else `<name>@<canary version>` (SPEC 12.1). */
export function canarySalt(name: string, canary: CanarySpec): string {
  return canary.salt ?? `${name}@${canary.version}`;
}

function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `expected one of: ${allowed}` : undefined),
  });
}

// `version: 2.1` is a number to YAML; say what is wrong with it rather than "expected a text".
const versionSchema = z.unknown().transform((v, ctx) => {
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text === 'string' && semver.valid(text) !== null && !/^[v=\s]/.test(text)) return text;
  ctx.addIssue({
    code: 'custom',
    message: `expected a released version such as "2.1.0" (semver), found ${JSON.stringify(v ?? null)}; write the full version`,
  });
  return z.NEVER;
});

const labelsSchema = z.record(z.string().min(1), versionSchema);

const canarySchema = strict({
  version: versionSchema,
  steps: z
    .array(z.number().gt(0).max(100))
    .min(2)
    .refine((s) => s.every((v, i) => i === 0 || v > s[i - 1]!) && s.at(-1) === 100, {
      error: 'expected ascending percentages of traffic ending with 100, e.g. [5, 25, 50, 100]; fix the list',
    }),
  step: z.int().min(0),
  started_at: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as "2026-11-30T10:00:00Z"; fix it' }),
  salt: z.string().min(1).optional(),
  min_samples: SETTINGS.canaryMinSamples.schema.optional(),
  min_duration: z.string().regex(DURATION, { error: 'expected a duration such as 24h, 30m, 2d or 90s; fix it' }).optional(),
  metrics: z.record(z.string().min(1), strict({ direction: z.enum(['higher', 'lower']), max_drop: z.number().min(0) })).optional(),
  alpha: z.number().gt(0).lt(1).optional(),
});

const promptReleasesSchema = strict({
  labels: labelsSchema.optional(),
  segments: z.record(z.string().min(1), labelsSchema).optional(),
  canary: canarySchema.optional(),
});

const manifestSchema = z.record(
  z.string().regex(PROMPT_NAME, { error: 'expected a prompt name (lowercase letters, digits and dashes)' }),
  promptReleasesSchema,
);

/** A loaded manifest and where each of its keys is written, for findings. */
export interface LoadedManifest {
  file: string;
  manifest: ReleaseManifest;
  /** Line and column of the node at a key path, e.g. `['support-refund', 'labels', 'production']`. */
  position(path: KeyPath): Position;
  /** Line and column of the last key of `path` itself (where a prompt's entry starts). */
  keyPosition(path: KeyPath): Position;
}

/**
 * Reads the manifest at `path`. A missing file is an empty manifest (nothing released yet);
 * `value` is undefined when the file has errors.
 */
export function loadManifest(src: FileSource, path: string): { value?: LoadedManifest; findings: Finding[] } {
  const read = readStructured(src, path, MAX_FILE_BYTES);
  if (read.missing) {
    const start = () => ({ line: 1, column: 1 });
    return { value: { file: path, manifest: {}, position: start, keyPosition: start }, findings: [] };
  }
  const parsed = read.value;
  if (!parsed) return { findings: read.findings };
  // An empty document (only comments) is an empty manifest.
  const value = parsed.value ?? {};
  const { data, findings } = validate(manifestSchema, parsed, value);
  if (!data) return { findings };
  for (const [name, releases] of Object.entries(data)) {
    const canary = releases.canary;
    if (canary && canary.step >= canary.steps.length - 1) {
      findings.push(
        parsed.findingAt(
          [name, 'canary', 'step'],
          `step ${canary.step} is not a running step of ${canary.steps.length} steps (the last, 100%, is a promotion); use 0 to ${canary.steps.length - 2}`,
        ),
      );
    }
    if (canary && !releases.labels?.production) {
      findings.push(
        parsed.findingAt([name, 'canary'], 'a canary runs against labels.production, which is not set; set labels.production first'),
      );
    }
  }
  if (findings.length) return { findings };
  const manifest: ReleaseManifest = Object.fromEntries(
    Object.entries(data).map(([name, r]) => [
      name,
      {
        labels: r.labels ?? {},
        ...(r.segments && { segments: r.segments }),
        ...(r.canary && { canary: r.canary }),
      },
    ]),
  );
  return {
    value: {
      file: path,
      manifest,
      position: (p) => parsed.position(p),
      keyPosition: (p) => parsed.keyPosition(p.slice(0, -1), String(p.at(-1))),
    },
    findings: [],
  };
}

/** The version `label` points at for `segment` (falling back to the prompt's labels), or undefined. */
export function labelVersion(manifest: ReleaseManifest, name: string, label: string, segment?: string): string | undefined {
  const releases = manifest[name];
  if (!releases) return undefined;
  return (segment && releases.segments?.[segment]?.[label]) || releases.labels[label];
}
