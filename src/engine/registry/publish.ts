// The published bundle (SPEC 10.4): what applications read. `artifacts/<sha256>.json` is an
// archive file byte for byte (content-addressed, cacheable forever); only `manifest.json`
// changes when a pointer moves.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../artifact/hash.js';
import { UserError, formatLocation } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { FileSource } from '../git/source.js';
import type { Config, Finding, LabelMap } from '../types.js';
import { canarySalt } from './manifest.js';
import { archived, loadRegistry, type Registry } from './registry.js';

export const PUBLISHED_MANIFEST_SCHEMA = 'promptgate/manifest@1';

export interface VersionRef {
  version: string;
  sha256: string;
}

export interface PublishResult {
  /** The manifest.json value as written. */
  manifest: Record<string, unknown>;
  /** Artifact files written (`artifacts/<sha256>.json`), relative to the output directory. */
  artifacts: string[];
}

/**
 * Writes `outDir`/manifest.json and `outDir`/artifacts/ from the registry `src` holds.
 * Refuses (UserError) when the manifest or an archive it points at has problems: a bundle
 * that points at nothing must never be published. The manifest is written last, so an
 * application never sees a pointer to an artifact that is not there yet.
 */
export async function publish(
  src: FileSource,
  config: Pick<Config, 'releases'>,
  opts: { outDir: string; commit: string | null; now?: Date; currentVersions?: Map<string, string> },
): Promise<PublishResult> {
  const registry = loadRegistry(src, config);
  const problems: Finding[] = [...registry.findings];
  const files = new Map<string, Buffer>();
  const resolve = (name: string, version: string, where: string): VersionRef | undefined => {
    const entry = archived(registry, name, version);
    if (!entry) {
      const manifest = registry.manifest!;
      problems.push({
        rule: 'release-version-missing',
        severity: 'error',
        file: manifest.file,
        ...manifest.position(where.split('.')),
        message: `${where} names ${name} ${version}, which is not released; run promptgate release (and commit the archive) before publishing`,
      });
      return undefined;
    }
    const bytes = src.readBytes(entry.path)!;
    const hash = sha256(bytes);
    files.set(hash, bytes);
    return { version, sha256: hash };
  };
  const prompts = registry.manifest ? publishedPrompts(registry, resolve) : {};
  if (problems.length) {
    throw new UserError(`Nothing published: ${problems.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n')}`, problems[0]);
  }
  const taken = [opts.outDir, join(opts.outDir, 'artifacts')].find((path) => existsSync(path) && !statSync(path).isDirectory());
  if (taken) throw new UserError(`Nothing published: ${taken} is a file; publish writes a directory there. Choose another directory.`);
  await mkdir(join(opts.outDir, 'artifacts'), { recursive: true });
  const present = new Set(await readdir(join(opts.outDir, 'artifacts')));
  const artifacts: string[] = [];
  for (const [hash, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = `${hash}.json`;
    // Content-addressed: a file already there holds exactly these bytes.
    if (!present.has(file)) await writeFileAtomic(join(opts.outDir, 'artifacts', file), bytes);
    artifacts.push(`artifacts/${file}`);
  }
  const manifest = {
    schema: PUBLISHED_MANIFEST_SCHEMA,
    generated_at: (opts.now ?? new Date()).toISOString(),
    commit: opts.commit,
    prompts,
  };
  await writeFileAtomic(join(opts.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, artifacts };
}

function publishedPrompts(
  registry: Registry,
  resolve: (name: string, version: string, where: string) => VersionRef | undefined,
): Record<string, unknown> {
  const labels = (name: string, map: LabelMap, at: string) =>
    Object.fromEntries(Object.entries(map).map(([label, version]) => [label, resolve(name, version, `${at}.${label}`)]));
  return Object.fromEntries(
    Object.entries(registry.manifest!.manifest).map(([name, r]) => [
      name,
      {
        labels: labels(name, r.labels, `${name}.labels`),
        segments: Object.fromEntries(
          Object.entries(r.segments ?? {}).map(([segment, map]) => [segment, labels(name, map, `${name}.segments.${segment}`)]),
        ),
        ...(r.canary && {
          canary: { ...r.canary, salt: canarySalt(name, r.canary), version: resolve(name, r.canary.version, `${name}.canary.version`) },
        }),
      },
    ]),
  );
}
