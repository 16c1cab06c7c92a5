// The registry as one commit holds it: the manifest and every archive file, read and
// verified once, so lint, the release commands, the promotion gate and publish agree.
import semver from 'semver';
import type { FileSource } from '../git/source.js';
import type { ArchiveFile, Config, Finding, ReleaseManifest } from '../types.js';
import { listArchives, readArchive } from './archive.js';
import { loadManifest, type LoadedManifest } from './manifest.js';

export interface ArchiveEntry {
  path: string;
  archive: ArchiveFile;
}

export interface Registry {
  /** Undefined when the manifest has errors (they are in `findings`). */
  manifest?: LoadedManifest;
  /** name -> version -> the verified archive entry; a damaged file is left out (and in `findings`). */
  archives: Map<string, Map<string, ArchiveEntry>>;
  /** Paths of every archive file, damaged ones included. */
  archivePaths: string[];
  findings: Finding[];
}

export function loadRegistry(src: FileSource, config: Pick<Config, 'releases'>): Registry {
  const loaded = loadManifest(src, config.releases);
  const findings = [...loaded.findings];
  const archives = new Map<string, Map<string, ArchiveEntry>>();
  const listed = listArchives(src, config);
  for (const { name, version, path } of listed) {
    const read = readArchive(src, path);
    findings.push(...read.findings);
    if (!read.value) continue;
    if (!archives.has(name)) archives.set(name, new Map());
    archives.get(name)!.set(version, { path, archive: read.value });
  }
  return { ...(loaded.value && { manifest: loaded.value }), archives, archivePaths: listed.map((a) => a.path), findings };
}

export function archived(registry: Registry, name: string, version: string): ArchiveEntry | undefined {
  return registry.archives.get(name)?.get(version);
}

/** Every label pointer of the manifest: production and the others, per segment, and the canary's version. */
export interface Pointer {
  name: string;
  label: string;
  segment?: string;
  /** `canary` for a canary's version. */
  kind: 'label' | 'canary';
  version: string;
  /** Key path in the manifest, for findings. */
  path: string[];
}

export function pointers(manifest: ReleaseManifest): Pointer[] {
  return Object.entries(manifest).flatMap(([name, r]) => [
    ...Object.entries(r.labels).map(([label, version]): Pointer => ({
      name,
      label,
      kind: 'label',
      version,
      path: [name, 'labels', label],
    })),
    ...Object.entries(r.segments ?? {}).flatMap(([segment, labels]) =>
      Object.entries(labels).map(([label, version]): Pointer => ({
        name,
        label,
        segment,
        kind: 'label',
        version,
        path: [name, 'segments', segment, label],
      })),
    ),
    ...(r.canary
      ? [{ name, label: 'canary', kind: 'canary', version: r.canary.version, path: [name, 'canary', 'version'] } as Pointer]
      : []),
  ]);
}

/** A move of `production` (of a segment, or the canary's version) between two manifests. */
export interface ProductionMove {
  name: string;
  segment?: string;
  /** `label`: production moved; `canary`: a canary started or changed version. */
  kind: 'label' | 'canary';
  from?: string;
  to: string;
  /** Moving back to a version released before the one production points at: never gated. */
  rollback: boolean;
  path: string[];
}

/**
 * What a change does to what production serves: each production label (global or per
 * segment) that points elsewhere, and each canary started or pointed at another version.
 */
export function productionMoves(base: ReleaseManifest, head: ReleaseManifest, registry: Registry): ProductionMove[] {
  const before = new Map(pointers(base).map((p) => [key(p), p.version]));
  const moves: ProductionMove[] = [];
  for (const p of pointers(head)) {
    if (p.kind === 'label' && p.label !== 'production') continue;
    const from = before.get(key(p));
    if (from === p.version) continue;
    // A canary runs against production: it is compared with the version production runs.
    const current = p.kind === 'canary' ? (head[p.name]?.labels.production ?? from) : from;
    moves.push({
      name: p.name,
      ...(p.segment && { segment: p.segment }),
      kind: p.kind,
      ...(current && { from: current }),
      to: p.version,
      rollback: p.kind === 'label' && from !== undefined && releasedBefore(registry, p.name, p.version, from),
      path: p.path,
    });
  }
  return moves;
}

function key(p: Pointer): string {
  return JSON.stringify([p.name, p.kind, p.segment ?? null, p.label]);
}

/**
 * Whether `version` was released before `than`: by release time when both are archived
 * (a hotfix 2.0.4 released after 2.1.0 is not a rollback), else by version order.
 */
export function releasedBefore(registry: Registry, name: string, version: string, than: string): boolean {
  const a = archived(registry, name, version)?.archive.released_at;
  const b = archived(registry, name, than)?.archive.released_at;
  if (a && b && a !== b) return a < b;
  return semver.valid(version) !== null && semver.valid(than) !== null && semver.lt(version, than);
}
