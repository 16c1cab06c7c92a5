// promote and rollback (SPEC 11): move a label in the manifest, keeping the file as written.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, formatLocation } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { FileSource } from '../git/source.js';
import type { Config, Project } from '../types.js';
import { previousTarget } from './history.js';
import { ManifestEditor } from './manifest-editor.js';
import { labelVersion } from './manifest.js';
import { archived, loadRegistry, type Registry } from './registry.js';

export interface LabelTarget {
  name: string;
  version: string;
  label: string;
  segment?: string;
}

export interface PointerMove {
  name: string;
  label: string;
  segment?: string;
  from?: string;
  to: string;
  /** A canary of the prompt was removed with the move. */
  canaryRemoved?: string;
  /** The manifest file, relative to the repository. */
  file: string;
}

/** A version a label may point at: released (archived), or the prompt's current version in this commit. */
function assertKnownVersion(registry: Registry, project: Project, name: string, version: string): void {
  const current = project.prompts.find((p) => p.name === name) ?? project.lintOnly.find((p) => p.name === name);
  const released = [...(registry.archives.get(name)?.keys() ?? [])];
  if (!current && !released.length) {
    const known = [...new Set([...project.prompts.map((p) => p.name), ...registry.archives.keys()])].sort();
    throw new UserError(`No prompt named "${name}" and nothing of that name is released (known: ${known.join(', ') || 'none'}).`);
  }
  if (archived(registry, name, version) || current?.version === version) return;
  const options = [...released.map((v) => `released: ${v}`), ...(current ? [`current: ${current.version}`] : [])].join(', ');
  throw new UserError(
    `${name} ${version} is neither released nor the prompt's current version (${options}); release it first or name one of those.`,
  );
}

function loadValidRegistry(src: FileSource, config: Config): Registry {
  const registry = loadRegistry(src, config);
  const broken = registry.findings.filter((f) => f.file === config.releases);
  if (broken.length) throw new UserError(broken.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n'), broken[0]);
  return registry;
}

async function edit(root: string, config: Config, change: (editor: ManifestEditor) => void): Promise<void> {
  const path = join(root, config.releases);
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const editor = ManifestEditor.open(text, config.releases);
  change(editor);
  await writeFileAtomic(path, editor.toString());
}

/** `promptgate promote NAME VERSION [--label L] [--segment S]`. */
export async function promote(root: string, src: FileSource, project: Project, target: LabelTarget): Promise<PointerMove> {
  const { config } = project;
  const registry = loadValidRegistry(src, config);
  assertKnownVersion(registry, project, target.name, target.version);
  const manifest = registry.manifest!.manifest;
  const from = target.segment
    ? manifest[target.name]?.segments?.[target.segment]?.[target.label]
    : manifest[target.name]?.labels[target.label];
  if (from !== target.version) await edit(root, config, (e) => e.setLabel(target.name, target.label, target.version, target.segment));
  return {
    name: target.name,
    label: target.label,
    ...(target.segment && { segment: target.segment }),
    ...(from && { from }),
    to: target.version,
    file: config.releases,
  };
}

/**
 * `promptgate rollback NAME [--label L] [--to VERSION]`: the label goes back to where it
 * pointed before its last move (or to `to`), and an active canary of the prompt is removed.
 */
export async function rollback(
  root: string,
  src: FileSource,
  project: Project,
  target: { name: string; label: string; segment?: string; to?: string },
): Promise<PointerMove> {
  const { config } = project;
  const registry = loadValidRegistry(src, config);
  const manifest = registry.manifest!.manifest;
  const current = target.segment
    ? manifest[target.name]?.segments?.[target.segment]?.[target.label]
    : labelVersion(manifest, target.name, target.label);
  if (!current) {
    const where = target.segment ? `${target.name}.segments.${target.segment}.${target.label}` : `${target.name}.labels.${target.label}`;
    throw new UserError(`${config.releases} sets no ${where}: there is nothing to roll back; promote a version first.`);
  }
  const to =
    target.to ??
    (await previousTarget(root, config.releases, {
      name: target.name,
      label: target.label,
      ...(target.segment && { segment: target.segment }),
      current,
    }));
  assertKnownVersion(registry, project, target.name, to);
  const canary = manifest[target.name]?.canary;
  await edit(root, config, (e) => {
    e.setLabel(target.name, target.label, to, target.segment);
    e.removeCanary(target.name);
  });
  return {
    name: target.name,
    label: target.label,
    ...(target.segment && { segment: target.segment }),
    from: current,
    to,
    ...(canary && { canaryRemoved: canary.version }),
    file: config.releases,
  };
}
