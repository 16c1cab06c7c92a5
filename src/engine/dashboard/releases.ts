// Each prompt's versions over time for the dashboard (SPEC 15): from the release archive and
// manifest (10.1, 10.2) where they exist; for a prompt never released, from its stored
// baseline and that file's git history, so the page has a history from the first baseline on.
import { readBaseline, baselinePath } from '../files/baseline.js';
import { loadProject } from '../files/project.js';
import { fileHistory } from '../git/commands.js';
import { GitTree, WorkTree } from '../git/source.js';
import { listArchives, readArchive } from '../registry/archive.js';
import { loadManifest } from '../registry/manifest.js';
import { formatLocation } from '../errors.js';
import type { CanarySpec, Config, Finding, ReleaseManifest } from '../types.js';

export interface VersionRelease {
  version: string;
  /** When it was released (archive) or its baseline was written; null when unknown. */
  released_at: string | null;
  /** Where the facts come from. */
  source: 'archive' | 'baseline' | 'prompt file' | 'events only';
  /** Labels that point at it now; a segment's as `segment/label`. */
  labels: string[];
  model: string | null;
  /** Every metric's mean and n at release, when known. */
  eval: Record<string, { mean: number; n: number }>;
  /** Permalink to the prompt file at its commit, when the archive knows it. */
  url?: string;
}

export interface PromptHistory {
  name: string;
  /** Oldest first. */
  versions: VersionRelease[];
  canary?: CanarySpec;
}

export interface ReleaseHistory {
  config: Config;
  prompts: PromptHistory[];
  /** The release manifest as read (empty when missing or broken). */
  manifest: ReleaseManifest;
  /** Files that could not be read; the page lists them, the rest still shows. */
  problems: string[];
}

export async function loadReleaseHistory(root: string, configPath?: string): Promise<ReleaseHistory> {
  const src = new WorkTree(root);
  const project = loadProject(src, { configPath, datasetCases: false });
  const { config } = project;
  const problems: string[] = [];
  const report = (findings: Finding[]) => problems.push(...findings.map((f) => `${formatLocation(f)}: ${f.message}`));
  report(project.findings.filter((f) => f.severity === 'error'));

  const loaded = loadManifest(src, config.releases);
  report(loaded.findings);
  const manifest: ReleaseManifest = loaded.value?.manifest ?? {};

  const byPrompt = new Map<string, Map<string, VersionRelease>>();
  const versionsOf = (name: string) => byPrompt.get(name) ?? byPrompt.set(name, new Map()).get(name)!;
  for (const { path } of listArchives(src, config)) {
    const { value, findings } = readArchive(src, path);
    report(findings);
    if (!value) continue;
    versionsOf(value.name).set(value.version, {
      version: value.version,
      released_at: value.released_at,
      source: 'archive',
      labels: [],
      model: value.model.name,
      eval: value.eval.metrics,
      ...(value.source.url ? { url: value.source.url } : {}),
    });
  }

  for (const prompt of [...project.prompts, ...project.lintOnly]) {
    const versions = versionsOf(prompt.name);
    if (versions.size === 0) for (const release of await baselineHistory(root, config, prompt.name)) versions.set(release.version, release);
    if (!versions.has(prompt.version)) {
      versions.set(prompt.version, {
        version: prompt.version,
        released_at: null,
        source: 'prompt file',
        labels: [],
        model: prompt.model.name,
        eval: {},
      });
    }
  }

  for (const [name, releases] of Object.entries(manifest)) {
    const versions = versionsOf(name);
    const point = (label: string, version: string) => {
      const release = versions.get(version) ?? {
        version,
        released_at: null,
        source: 'archive' as const,
        labels: [],
        model: null,
        eval: {},
      };
      release.labels.push(label);
      versions.set(version, release);
    };
    for (const [label, version] of Object.entries(releases.labels)) point(label, version);
    for (const [segment, labels] of Object.entries(releases.segments ?? {}))
      for (const [label, version] of Object.entries(labels)) point(`${segment}/${label}`, version);
  }

  const prompts = [...byPrompt].map(([name, versions]) => ({
    name,
    versions: [...versions.values()].sort(byReleaseTime),
    ...(manifest[name]?.canary ? { canary: manifest[name].canary } : {}),
  }));
  prompts.sort((a, b) => a.name.localeCompare(b.name));
  return { config, prompts, manifest, problems };
}

/** Released versions by time; versions never released (no time) last, in the order met. */
function byReleaseTime(a: VersionRelease, b: VersionRelease): number {
  if (a.released_at === null || b.released_at === null) return (a.released_at === null ? 1 : 0) - (b.released_at === null ? 1 : 0);
  return a.released_at.localeCompare(b.released_at);
}

/** Every version the prompt's stored baseline has held, from the file's git history (and the working tree). */
async function baselineHistory(root: string, config: Config, name: string): Promise<VersionRelease[]> {
  const path = baselinePath(config.baselines, name);
  const sources = [new WorkTree(root), ...(await fileHistory(root, path)).map((sha) => new GitTree(root, sha))];
  const releases = new Map<string, VersionRelease>();
  for (const src of sources) {
    const stored = readBaseline(src, config.baselines, name);
    if (!('baseline' in stored)) continue;
    const b = stored.baseline;
    // Newest first: the earliest baseline of a version is when it was first evaluated.
    releases.set(b.version, {
      version: b.version,
      released_at: b.created_at,
      source: 'baseline',
      labels: [],
      model: b.model,
      eval: b.metrics,
    });
  }
  return [...releases.values()];
}
