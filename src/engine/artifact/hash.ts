import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values always serialise (and hash) the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Content hash of any JSON-able value; `sha256:` prefixed so stored hashes say what they are. */
export function stableHash(value: unknown): string {
  return `sha256:${sha256(canonicalJson(value))}`;
}

/** What a prompt version's identity is made of (SPEC 1.2): not its suite, version or description. */
export interface ArtifactContent {
  messages: ReadonlyArray<{ role: string; content: string }>;
  /** Path -> text of every included file, transitively; null for one that is missing. */
  includes: Record<string, string | null>;
  model: { provider: string; name: string; params: Record<string, unknown> };
}

/**
 * The content hash of a prompt version: the gate, baselines and the release archive all
 * identify a version by it, and an archive file is verified by recomputing it.
 */
export function artifactHash(content: ArtifactContent): string {
  return stableHash({
    messages: content.messages.map((m) => ({ role: m.role, content: m.content })),
    includes: content.includes,
    model: { provider: content.model.provider, name: content.model.name, params: content.model.params },
  });
}
