// Canary commands over the release manifest (SPEC 11, 13): `canary check` (read events, decide,
// optionally write the decisions), `canary start`, `canary abort`. Each manifest change goes
// through the registry's editor (comments and key order kept) and one atomic write.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkCanaries } from '../canary/check.js';
import { resolveEventFiles } from '../canary/read.js';
import { canarySettings } from '../canary/settings.js';
import type { CanaryReport, CanarySettings, PromptCanaryReport } from '../canary/types.js';
import { UserError, formatLocation } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { loadProject } from '../files/project.js';
import { WorkTree, type FileSource } from '../git/source.js';
import { archivePath, readArchive } from '../registry/archive.js';
import { loadManifest, parseDuration, type LoadedManifest } from '../registry/manifest.js';
import { ManifestEditor } from '../registry/manifest-editor.js';
import type { ArchiveFile, CanarySpec, Config, Finding } from '../types.js';

export const DEFAULT_STEPS = [5, 25, 50, 100];

interface Releases {
  root: string;
  src: FileSource;
  config: Config;
  /** The prompts' current versions: a version that is not archived may still be one of these. */
  current: Set<string>;
  loaded: LoadedManifest;
}

async function loadReleases(root: string, configPath: string | undefined): Promise<Releases> {
  const src = new WorkTree(root);
  const { config, findings, prompts } = loadProject(src, { configPath, datasetCases: false });
  failOn(findings.filter((f) => f.file === config.file && f.severity === 'error'));
  const { value, findings: manifestFindings } = loadManifest(src, config.releases);
  failOn(manifestFindings);
  return { root, src, config, current: new Set(prompts.map((p) => `${p.name}@${p.version}`)), loaded: value! };
}

function failOn(findings: Finding[]): void {
  if (findings.length > 0) throw new UserError(findings.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n'), findings[0]);
}

/** A label or canary version must be archived or be the prompt's current version (SPEC 10.1). */
function versionExists(r: Releases, name: string, version: string): boolean {
  return r.current.has(`${name}@${version}`) || r.src.read(archivePath(r.config, name, version)) !== undefined;
}

function located(r: Releases, path: string[], message: string): UserError {
  const { line, column } = r.loaded.position(path);
  return new UserError(`${r.loaded.file}:${line}:${column}: ${message}`, { file: r.loaded.file, line, column });
}

/** The settings of every active canary, defaults applied; a version that does not exist is an error. */
function activeCanaries(r: Releases): CanarySettings[] {
  const rollouts: CanarySettings[] = [];
  for (const [name, releases] of Object.entries(r.loaded.manifest)) {
    const settings = canarySettings(name, releases);
    if (!settings) continue;
    for (const [path, version] of [
      [[name, 'canary', 'version'], settings.version],
      [[name, 'labels', 'production'], settings.controlVersion],
    ] as const) {
      if (!versionExists(r, name, version)) {
        throw located(
          r,
          [...path],
          `${name} ${version} is neither archived (${archivePath(r.config, name, version)}) nor the current version of the prompt, so its canary cannot be checked. Release it (promptgate release) or fix the version.`,
        );
      }
    }
    rollouts.push(settings);
  }
  return rollouts;
}

export interface CanaryCheckOptions {
  root: string;
  configPath?: string;
  /** Globs of event files, relative to root. */
  events: string[];
  apply: boolean;
  now?: number;
}

export async function runCanaryCheck(o: CanaryCheckOptions): Promise<CanaryReport> {
  const now = o.now ?? Date.now();
  const r = await loadReleases(o.root, o.configPath);
  const rollouts = activeCanaries(r);
  if (rollouts.length === 0) {
    return {
      schema: 'promptgate/canary@1',
      generated_at: new Date(now).toISOString(),
      result: 'pass',
      applied: false,
      events: { files: [], lines: 0, events: 0, malformed: 0, malformed_examples: [] },
      prompts: [],
    };
  }
  const files = await resolveEventFiles(o.events, o.root);
  const report = await checkCanaries({ rollouts, files, root: o.root, now });
  if (o.apply) report.applied = await applyDecisions(r, report.prompts, now);
  return report;
}

/** Writes rollback, advance and promote to the manifest in one atomic write; false when nothing changed. */
async function applyDecisions(r: Releases, decisions: PromptCanaryReport[], now: number): Promise<boolean> {
  const changing = decisions.filter((d) => d.decision !== 'hold');
  if (changing.length === 0) return false;
  await editManifest(r, (editor) => {
    for (const d of changing) {
      if (d.decision === 'advance') editor.setCanary(d.prompt, { step: d.step + 1, started_at: new Date(now).toISOString() });
      else {
        if (d.decision === 'promote') editor.setLabel(d.prompt, 'production', d.arms.canary.version);
        editor.removeCanary(d.prompt);
      }
    }
  });
  return true;
}

async function editManifest(r: Releases, edit: (editor: ManifestEditor) => void): Promise<void> {
  const path = join(r.root, r.config.releases);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const editor = ManifestEditor.open(text, r.config.releases);
  edit(editor);
  await writeFileAtomic(path, editor.toString());
}

export interface CanaryStartOptions {
  root: string;
  configPath?: string;
  name: string;
  version: string;
  steps?: number[];
  minSamples?: number;
  minDuration?: string;
  now?: number;
}

/** The outcome of start/abort: `refused` is a gate's no (exit 1), with the reason. */
export type CanaryCommandResult = { done: string } | { refused: string };

export async function startCanary(o: CanaryStartOptions): Promise<CanaryCommandResult> {
  const r = await loadReleases(o.root, o.configPath);
  const releases = r.loaded.manifest[o.name];
  const production = releases?.labels['production'];
  const file = r.loaded.file;
  if (!production)
    throw new UserError(
      `${o.name} has no labels.production in ${file}: a canary runs against production, so promote a version first (promptgate promote ${o.name} VERSION).`,
    );
  if (releases.canary)
    throw new UserError(
      `${o.name} already has a canary of ${releases.canary.version} in ${file}; abort it first (promptgate canary abort ${o.name}).`,
    );
  if (o.version === production) throw new UserError(`${o.name} ${o.version} is already production; a canary needs another version.`);
  const steps = o.steps ?? DEFAULT_STEPS;
  if (!(steps.length >= 2 && steps.every((s, i) => s > 0 && s <= 100 && (i === 0 || s > steps[i - 1]!)) && steps.at(-1) === 100)) {
    throw new UserError(`--steps must be ascending percentages of traffic ending with 100, e.g. 5,25,50,100; got ${steps.join(',')}.`);
  }
  if (o.minDuration !== undefined && parseDuration(o.minDuration) === undefined)
    throw new UserError(`--min-duration takes a number and a unit (s, m, h or d), e.g. 24h; got "${o.minDuration}".`);
  const refusal = promotionGate(r, o.name, production, o.version);
  if (refusal) return { refused: refusal };
  const spec: Partial<CanarySpec> = {
    version: o.version,
    steps,
    step: 0,
    started_at: new Date(o.now ?? Date.now()).toISOString(),
    ...(o.minSamples !== undefined && { min_samples: o.minSamples }),
    ...(o.minDuration !== undefined && { min_duration: o.minDuration }),
  };
  await editManifest(r, (editor) => editor.setCanary(o.name, spec));
  return {
    done: `Started the canary of ${o.name} ${o.version} against production ${production} at ${steps[0]}% (steps ${steps.join(', ')}) in ${file}. Publish the bundle so applications see it.`,
  };
}

/**
 * The promotion gate for starting a canary (SPEC 10.3 release-unevaluated): the evidence is
 * the archive. The target must be released (archived, so its PR passed the gate and its eval
 * is recorded) and its `eval` must come from the same suite (`suite_hash`) as production's
 * archived eval, with no metric worse than production's: a score metric not lower by more
 * than the config's gate max_drop, error_rate not higher than production's or the gate's
 * max_error_rate, whichever is larger. Latency, cost and tokens are reported, not gated.
 * Returns the refusal, or null.
 */
function promotionGate(r: Releases, name: string, production: string, version: string): string | null {
  const target = readArchive(r.src, archivePath(r.config, name, version));
  if (!target.value) {
    const why = target.missing ? 'is not released' : `has a broken archive (${target.findings.map((f) => f.message).join('; ')})`;
    return `${name} ${version} ${why}: only a released version, evaluated by the gate, may start a canary. Release it first (promptgate release, or the action's mode: release), then start the canary.`;
  }
  const base = readArchive(r.src, archivePath(r.config, name, production));
  if (!base.value)
    return `production ${name} ${production} has no readable archive, so ${version} cannot be compared with it. Release ${production} first.`;
  return compareEvals(name, base.value, target.value, r.config);
}

const REPORTED_ONLY = /^(latency_p\d+_ms|cost_usd|input_tokens|output_tokens)$/;

function compareEvals(name: string, base: ArchiveFile, target: ArchiveFile, config: Config): string | null {
  if (base.eval.suite_hash !== target.eval.suite_hash) {
    return `${name} ${target.version} was evaluated on a different suite (suite_hash ${target.eval.suite_hash.slice(0, 12)}) than production ${base.version} (${base.eval.suite_hash.slice(0, 12)}), so the archives prove nothing about the change. Evaluate both on one suite (promptgate eval) and release again.`;
  }
  const worse: string[] = [];
  for (const [metric, b] of Object.entries(base.eval.metrics)) {
    const t = target.eval.metrics[metric];
    if (!t || REPORTED_ONLY.test(metric)) continue;
    if (metric === 'error_rate') {
      if (t.mean > Math.max(b.mean, config.gate.max_error_rate ?? 0)) worse.push(`error_rate ${b.mean} -> ${t.mean}`);
    } else if (b.mean - t.mean > (config.gate.max_drop ?? 0)) worse.push(`${metric} ${b.mean} -> ${t.mean}`);
  }
  if (worse.length === 0) return null;
  return `${name} ${target.version} scored worse than production ${base.version} at release (${worse.join(', ')}), so it has not passed the promotion gate. Fix the prompt and release a new version.`;
}

export async function abortCanary(o: { root: string; configPath?: string; name: string }): Promise<string> {
  const r = await loadReleases(o.root, o.configPath);
  const canary = r.loaded.manifest[o.name]?.canary;
  if (!canary) throw new UserError(`${o.name} has no active canary in ${r.loaded.file}; nothing to abort.`);
  await editManifest(r, (editor) => editor.removeCanary(o.name));
  return `Aborted the canary of ${o.name} ${canary.version}; production stays ${r.loaded.manifest[o.name]!.labels['production']}. Publish the bundle so applications see it.`;
}
