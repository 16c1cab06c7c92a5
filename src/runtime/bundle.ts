// The published bundle as the runtime reads it (SPEC 10.4): `manifest.json`
// (`promptgate/manifest@1`) pointing each label, segment label and canary of a prompt at
// `{version, sha256}`, and content-addressed artifacts (`promptgate/artifact@1`, SPEC 10.2).
// Parsing checks every field the runtime relies on and names what was expected, so a bad
// bundle is refused with a message instead of failing later inside `get` or `render`.
import { BundleError } from './errors.js';

export const MANIFEST_SCHEMA = 'promptgate/manifest@1';
export const ARTIFACT_SCHEMA = 'promptgate/artifact@1';

/** A label resolved to a released version and the sha256 of its artifact file's bytes. */
export interface VersionRef {
  version: string;
  sha256: string;
}

/** The canary of SPEC 10.1 as the runtime needs it: which version, how much traffic, how to bucket. */
export interface PublishedCanary extends VersionRef {
  /** Percent of traffic at the current step: `steps[step]`. */
  weight: number;
  /** Bucketing salt: the manifest's, else `<name>@<canary version>` (SPEC 12.1). */
  salt: string;
}

export interface PublishedPrompt {
  labels: Record<string, VersionRef>;
  /** segment -> label -> version; these override `labels` for callers that name the segment. */
  segments: Record<string, Record<string, VersionRef>>;
  canary?: PublishedCanary;
}

export interface PublishedManifest {
  generatedAt?: string;
  /** The repository commit the bundle was published from. */
  commit?: string;
  prompts: Map<string, PublishedPrompt>;
}

export type Role = 'system' | 'user' | 'assistant';

/** The archive file of one released version (SPEC 10.2), the fields the runtime uses. */
export interface PublishedArtifact {
  name: string;
  version: string;
  /** The SPEC 1.2 content hash (`sha256:...`), as a baseline's `prompt_hash`. */
  hash: string;
  model: { provider: string; name: string; params: Record<string, unknown> };
  messages: Array<{ role: Role; content: string }>;
  /** Repo-relative path -> text of every file the messages include, transitively. */
  templates: Record<string, string>;
  source: { path?: string; commit?: string; url?: string };
}

const SHA256 = /^[0-9a-f]{64}$/;
const ROLES = new Set<string>(['system', 'user', 'assistant']);
/** Top-level keys of manifest.json that are not prompt names. */
const MANIFEST_KEYS = new Set(['schema', 'generated_at', 'commit', 'prompts']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON text, naming where it came from when it does not parse. */
export function parseJson(text: string, where: string, expected: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BundleError(`${where} is not valid JSON (${(error as Error).message}); expected ${expected}`, where);
  }
}

function expectSchema(value: unknown, schema: string, where: string): Json {
  if (!isObject(value)) throw new BundleError(`${where}: expected a JSON object with schema "${schema}"`, where);
  if (value['schema'] !== schema) {
    throw new BundleError(`${where}: schema is ${JSON.stringify(value['schema'] ?? null)}, expected "${schema}"`, where);
  }
  return value;
}

function versionRef(value: unknown, where: string): VersionRef {
  if (!isObject(value) || typeof value['version'] !== 'string' || typeof value['sha256'] !== 'string' || !SHA256.test(value['sha256'])) {
    throw new BundleError(`${where}: expected {"version": "...", "sha256": "<64 hex digits>"}, found ${JSON.stringify(value)}`, where);
  }
  return { version: value['version'], sha256: value['sha256'] };
}

function labelRefs(value: unknown, where: string): Record<string, VersionRef> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new BundleError(`${where}: expected an object of label -> {version, sha256}`, where);
  return Object.fromEntries(Object.entries(value).map(([label, ref]) => [label, versionRef(ref, `${where}.${label}`)]));
}

/** The canary's version may be written `{version, sha256}` or as `version` plus `sha256` beside it. */
function canary(name: string, value: unknown, where: string): PublishedCanary | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new BundleError(`${where}: expected an object (version, sha256, steps, step, salt)`, where);
  const ref = isObject(value['version']) ? versionRef(value['version'], `${where}.version`) : versionRef(value, where);
  const { steps, step } = value;
  if (!Array.isArray(steps) || !steps.every((s) => typeof s === 'number' && s >= 0 && s <= 100)) {
    throw new BundleError(`${where}.steps: expected a list of percentages such as [5, 25, 50, 100]`, where);
  }
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= steps.length) {
    throw new BundleError(`${where}.step: expected an index into steps (0 to ${steps.length - 1}), found ${JSON.stringify(step)}`, where);
  }
  const salt = value['salt'];
  if (salt !== undefined && typeof salt !== 'string') throw new BundleError(`${where}.salt: expected a string`, where);
  return { ...ref, weight: steps[step] as number, salt: salt ?? `${name}@${ref.version}` };
}

/** Reads `manifest.json`. `where` names it (URL or path) in every message. */
export function parseManifest(text: string, where: string): PublishedManifest {
  const root = expectSchema(parseJson(text, where, `a "${MANIFEST_SCHEMA}" manifest`), MANIFEST_SCHEMA, where);
  // Prompts sit under `prompts`; a manifest that lists them at the top level beside schema/commit is read too.
  const entries = isObject(root['prompts']) ? Object.entries(root['prompts']) : Object.entries(root).filter(([k]) => !MANIFEST_KEYS.has(k));
  const prompts = new Map<string, PublishedPrompt>();
  for (const [name, value] of entries) {
    const at = `${where}: prompts.${name}`;
    if (!isObject(value)) throw new BundleError(`${at}: expected an object with labels, segments and canary`, where);
    const segments = value['segments'] ?? {};
    if (!isObject(segments)) throw new BundleError(`${at}.segments: expected an object of segment -> labels`, where);
    prompts.set(name, {
      labels: labelRefs(value['labels'], `${at}.labels`),
      segments: Object.fromEntries(Object.entries(segments).map(([s, labels]) => [s, labelRefs(labels, `${at}.segments.${s}`)])),
      ...optional('canary', canary(name, value['canary'], `${at}.canary`)),
    });
  }
  return {
    ...optional('generatedAt', typeof root['generated_at'] === 'string' ? root['generated_at'] : undefined),
    ...optional('commit', typeof root['commit'] === 'string' ? root['commit'] : undefined),
    prompts,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Every pointer of a manifest: which prompt and version it names, and the artifact it points at. */
export function referencedArtifacts(manifest: PublishedManifest): Array<VersionRef & { name: string }> {
  const refs: Array<VersionRef & { name: string }> = [];
  for (const [name, entry] of manifest.prompts) {
    const all = [...Object.values(entry.labels), ...Object.values(entry.segments).flatMap((l) => Object.values(l))];
    if (entry.canary) all.push(entry.canary);
    for (const { version, sha256 } of all) refs.push({ name, version, sha256 });
  }
  return refs;
}

function stringField(value: Json, key: string, where: string): string {
  const field = value[key];
  if (typeof field !== 'string' || field === '') throw new BundleError(`${where}: expected "${key}" to be a non-empty string`, where);
  return field;
}

/** Reads an artifact file whose bytes were already verified against its sha256. */
export function parseArtifact(text: string, where: string): PublishedArtifact {
  const root = expectSchema(parseJson(text, where, `a "${ARTIFACT_SCHEMA}" archive file`), ARTIFACT_SCHEMA, where);
  const name = stringField(root, 'name', where);
  const version = stringField(root, 'version', where);
  const model = root['model'];
  if (!isObject(model)) throw new BundleError(`${where}: expected "model" to be an object with provider and name`, where);
  const { provider, name: modelName, ...params } = model;
  if (typeof provider !== 'string' || typeof modelName !== 'string') {
    throw new BundleError(`${where}: expected model.provider and model.name to be strings`, where);
  }
  const messages = root['messages'];
  if (
    !Array.isArray(messages) ||
    messages.length === 0 ||
    !messages.every((m) => isObject(m) && ROLES.has(m['role'] as string) && typeof m['content'] === 'string')
  ) {
    throw new BundleError(`${where}: expected "messages" to be a list of {role: system|user|assistant, content: text}`, where);
  }
  const templates = root['templates'] ?? {};
  if (!isObject(templates) || !Object.values(templates).every((t) => typeof t === 'string')) {
    throw new BundleError(`${where}: expected "templates" to map paths to template text`, where);
  }
  const source = isObject(root['source']) ? root['source'] : {};
  const nonEmpty = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    name,
    version,
    hash: stringField(root, 'hash', where),
    model: { provider, name: modelName, params },
    messages: messages.map((m: Json) => ({ role: m['role'] as Role, content: m['content'] as string })),
    templates: templates as Record<string, string>,
    source: {
      ...optional('path', nonEmpty(source['path'])),
      ...optional('commit', nonEmpty(source['commit'])),
      ...optional('url', nonEmpty(source['url'])),
    },
  };
}
