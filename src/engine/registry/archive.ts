// The immutable archive (SPEC 10.2): one self-contained file per released version, so any
// released version can be served, compared and rolled back to without the git history.
import { posix } from 'node:path';
import * as z from 'zod';
import { artifactHash, canonicalJson } from '../artifact/hash.js';
import type { FileSource } from '../git/source.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { validate } from '../files/issues.js';
import { StructuredFile } from '../files/parse.js';
import { MAX_FILE_BYTES, readText } from '../files/read.js';
import type { ArchiveFile, Config, Finding, PromptArtifact } from '../types.js';

export const ARCHIVE_SCHEMA = 'promptgate/artifact@1';

/** The archive folder: `registry/` beside the manifest (`.promptgate/registry` by default). */
export function registryDir(config: Pick<Config, 'releases'>): string {
  return posix.join(posix.dirname(config.releases), 'registry');
}

export function archivePath(config: Pick<Config, 'releases'>, name: string, version: string): string {
  return posix.join(registryDir(config), name, `${version}.json`);
}

/** Every archive file in `src`, as [name, version, path], sorted. */
export function listArchives(src: FileSource, config: Pick<Config, 'releases'>): Array<{ name: string; version: string; path: string }> {
  const dir = registryDir(config);
  return src.glob([`${dir}/*/*.json`]).map((path) => ({
    name: posix.basename(posix.dirname(path)),
    version: posix.basename(path, '.json'),
    path,
  }));
}

/**
 * The file's exact bytes: keys sorted at every level, two-space indent, a trailing newline.
 * Two machines releasing the same commit write the same bytes, and a bundle's sha256 of it
 * is stable.
 */
export function serializeArchive(archive: ArchiveFile): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(archive)), null, 2)}\n`;
}

/** Writes through a temporary file: a failed or interrupted release leaves no partial archive. */
export async function writeArchive(root: string, path: string, archive: ArchiveFile): Promise<void> {
  await writeFileAtomic(posix.join(root.replaceAll('\\', '/'), path), serializeArchive(archive));
}

/** Recomputes the content hash from what the archive holds (SPEC 1.2): equal to `hash` unless the file was edited. */
export function archiveContentHash(archive: Pick<ArchiveFile, 'messages' | 'templates' | 'model'>): string {
  const { provider, name, ...params } = archive.model;
  return artifactHash({ messages: archive.messages, includes: archive.templates, model: { provider, name, params } });
}

const SHA256 = /^sha256:[0-9a-f]{64}$/;
const metricsSchema = z.record(z.string(), z.strictObject({ mean: z.number(), n: z.int().min(0) }));

const archiveSchema = z.strictObject({
  schema: z.literal(ARCHIVE_SCHEMA),
  name: z.string().min(1),
  version: z.string().min(1),
  hash: z.string().regex(SHA256, { error: 'expected "sha256:" and 64 hex digits' }),
  model: z.looseObject({ provider: z.string().min(1), name: z.string().min(1) }),
  messages: z.array(z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
  templates: z.record(z.string(), z.string()),
  variables: z.array(z.string()),
  source: z.strictObject({ path: z.string().min(1), commit: z.string().min(1), url: z.string().optional() }),
  eval: z.strictObject({ suite_hash: z.string(), metrics: metricsSchema }),
  released_at: z.string().min(1),
  tool_version: z.string().min(1),
});

const RESTORE = 'restore it from git (git checkout -- <file>) or from the published bundle; released versions are never edited';

/**
 * Reads and verifies an archive file: it parses, matches `promptgate/artifact@1`, sits at
 * the path its name and version say, and its content still hashes to `hash`.
 */
export function readArchive(src: FileSource, path: string): { value?: ArchiveFile; findings: Finding[]; missing?: boolean } {
  const read = readText(src, path, MAX_FILE_BYTES);
  if ('missing' in read) return { findings: [], missing: true };
  if ('finding' in read) return { findings: [read.finding] };
  // A schema message's "add it" would tell the user to edit a released version: restore it instead.
  const restore = (findings: Finding[]) =>
    findings.map((f) => ({
      ...f,
      message: `${f.message.replace(/(; the key is missing)?[,;] add it$/, '$1')}; ${RESTORE.replace('<file>', path)}`,
    }));
  const { parsed, findings } = StructuredFile.parse(path, read.text);
  if (!parsed) return { findings: restore(findings) };
  const checked = validate(archiveSchema, parsed, parsed.value);
  if (!checked.data) return { findings: restore(checked.findings) };
  const archive = checked.data as ArchiveFile;
  const expectedPath = posix.join(posix.dirname(posix.dirname(path)), archive.name, `${archive.version}.json`);
  if (expectedPath !== path) {
    return {
      findings: [
        parsed.findingAt(
          ['name'],
          `the file holds ${archive.name} ${archive.version}, which belongs in ${expectedPath}; ${RESTORE.replace('<file>', path)}`,
        ),
      ],
    };
  }
  const actual = archiveContentHash(archive);
  if (actual !== archive.hash) {
    return {
      findings: [
        parsed.findingAt(
          ['hash'],
          `the content hashes to ${actual}, not to the recorded ${archive.hash}: the file was edited after release; ${RESTORE.replace('<file>', path)}`,
        ),
      ],
    };
  }
  return { value: archive, findings: [] };
}

/** The fields of a prompt version's artifact that the archive stores as they are. */
export type ArchivedArtifact = Pick<PromptArtifact, 'name' | 'version' | 'hash' | 'model' | 'messages' | 'templates' | 'variables'>;

/** The archive entry of one artifact; `model` is flattened back to the prompt file's shape (SPEC 10.2). */
export function toArchive(
  artifact: ArchivedArtifact,
  release: Pick<ArchiveFile, 'source' | 'eval' | 'released_at' | 'tool_version'>,
): ArchiveFile {
  return {
    schema: ARCHIVE_SCHEMA,
    name: artifact.name,
    version: artifact.version,
    hash: artifact.hash,
    model: { ...artifact.model.params, provider: artifact.model.provider, name: artifact.model.name },
    messages: artifact.messages.map(({ role, content }) => ({ role, content })),
    templates: artifact.templates,
    variables: artifact.variables,
    ...release,
  };
}

/**
 * The files of a released version as its archive holds them: its included templates and
 * nothing else, so it renders exactly as it did when released, whatever the tree holds now.
 */
export class ArchiveSource implements FileSource {
  readonly label: string;
  constructor(private readonly archive: ArchiveFile) {
    this.label = `${archive.name}@${archive.version} (archived)`;
  }

  read(path: string): string | undefined {
    return Object.hasOwn(this.archive.templates, path) ? this.archive.templates[path] : undefined;
  }

  readBytes(path: string): Buffer | undefined {
    const text = this.read(path);
    return text === undefined ? undefined : Buffer.from(text, 'utf8');
  }

  glob(): string[] {
    return [];
  }
}
