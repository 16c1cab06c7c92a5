// Lint rules for releases (SPEC 10.3). Each finding names the file and line and says what to do.
import type { FileSource } from '../git/source.js';
import type { Finding, Location, Prompt, RuleId } from '../types.js';
import { archivePath } from './archive.js';
import { type Registry, archived, pointers, type ProductionMove } from './registry.js';

export interface ReleaseLintInput {
  registry: Registry;
  /** The head's prompts (lint-only ones included): a label may name a prompt's current version. */
  prompts: Prompt[];
  /** The head's files, to compare archive bytes with the base's. */
  src: FileSource;
  config: { releases: string };
  /** The registry at the base commit, for release-archive-modified; undefined without a base. */
  base?: { registry: Registry; src: FileSource };
}

/**
 * invalid-file (manifest and archive files), release-archive-modified,
 * version-already-released and release-version-missing. release-unevaluated depends on the
 * mode: see unevaluatedFindings.
 */
export function releaseFindings(input: ReleaseLintInput): Finding[] {
  return [...input.registry.findings, ...modifiedArchives(input), ...alreadyReleased(input), ...missingVersions(input)];
}

function modifiedArchives({ base, src }: ReleaseLintInput): Finding[] {
  if (!base) return [];
  return base.registry.archivePaths.flatMap((path) => {
    const before = base.src.readBytes(path);
    const after = src.readBytes(path);
    if (after && before && after.equals(before)) return [];
    const restore = `restore it (git checkout ${base.src.label} -- ${path}) and release a new version instead`;
    return [
      finding(
        'release-archive-modified',
        after ? { file: path, line: 1 } : { file: path },
        `${path} was ${after ? 'changed' : 'deleted'}: released versions are immutable; ${restore}`,
      ),
    ];
  });
}

function alreadyReleased({ registry, prompts, config }: ReleaseLintInput): Finding[] {
  return prompts.flatMap((prompt) => {
    const entry = archived(registry, prompt.name, prompt.version);
    if (!entry || entry.archive.hash === prompt.artifact.hash) return [];
    return [
      finding(
        'version-already-released',
        { file: prompt.file, line: prompt.lines.version },
        `${prompt.name} ${prompt.version} is already released (${archivePath(config, prompt.name, prompt.version)}) with other content: ` +
          'released versions are immutable; bump version (and release the new one)',
      ),
    ];
  });
}

function missingVersions({ registry, prompts }: ReleaseLintInput): Finding[] {
  const manifest = registry.manifest;
  if (!manifest) return [];
  const current = new Map(prompts.map((p) => [p.name, p.version]));
  const unknown = Object.keys(manifest.manifest).filter((name) => !current.has(name) && !registry.archives.has(name));
  const unknownFindings = unknown.map((name) => {
    const known = [...new Set([...current.keys(), ...registry.archives.keys()])].sort();
    return finding(
      'release-version-missing',
      { file: manifest.file, ...manifest.keyPosition([name]), key: name },
      `no prompt named "${name}" and nothing of that name is released; fix the name (known: ${known.join(', ') || 'none'}) or remove the entry`,
    );
  });
  const versionFindings = pointers(manifest.manifest)
    .filter((p) => !unknown.includes(p.name) && p.version !== current.get(p.name) && !archived(registry, p.name, p.version))
    .map((p) => {
      const released = [...(registry.archives.get(p.name)?.keys() ?? [])];
      const now = current.get(p.name);
      const options = [...released.map((v) => `released: ${v}`), ...(now ? [`current: ${now}`] : [])].join(', ') || 'none';
      return finding(
        'release-version-missing',
        { file: manifest.file, ...manifest.position(p.path), key: p.path.join('.') },
        `${p.path.join('.')} names ${p.name} ${p.version}, which is neither released nor the prompt's current version (${options}); ` +
          `run promptgate release after bumping the prompt to ${p.version}, or name a version that exists`,
      );
    });
  return [...unknownFindings, ...versionFindings];
}

/**
 * release-unevaluated: a promotion the gate cannot evaluate here (mode lint, or a target or
 * production version that cannot be rendered, with `why`). Rollbacks are never findings.
 */
export function unevaluatedFinding(registry: Registry, move: ProductionMove, why: string): Finding {
  const manifest = registry.manifest!;
  const what =
    move.kind === 'canary' ? `the canary of ${move.name}` : `${move.segment ? `segment ${move.segment}'s ` : ''}production of ${move.name}`;
  return finding(
    'release-unevaluated',
    { file: manifest.file, ...manifest.position(move.path), key: move.path.join('.') },
    `this change moves ${what} ${move.from ? `from ${move.from} ` : ''}to ${move.to}, which has not passed the gate against production: ${why}`,
  );
}

function finding(rule: RuleId, at: Location, message: string): Finding {
  return { rule, severity: 'error', ...at, message };
}
