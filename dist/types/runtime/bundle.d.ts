export declare const MANIFEST_SCHEMA = "promptgate/manifest@1";
export declare const ARTIFACT_SCHEMA = "promptgate/artifact@1";
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
    model: {
        provider: string;
        name: string;
        params: Record<string, unknown>;
    };
    messages: Array<{
        role: Role;
        content: string;
    }>;
    /** Repo-relative path -> text of every file the messages include, transitively. */
    templates: Record<string, string>;
    source: {
        path?: string;
        commit?: string;
        url?: string;
    };
}
/** Parses JSON text, naming where it came from when it does not parse. */
export declare function parseJson(text: string, where: string, expected: string): unknown;
/** Reads `manifest.json`. `where` names it (URL or path) in every message. */
export declare function parseManifest(text: string, where: string): PublishedManifest;
/** Every pointer of a manifest: which prompt and version it names, and the artifact it points at. */
export declare function referencedArtifacts(manifest: PublishedManifest): Array<VersionRef & {
    name: string;
}>;
/** Reads an artifact file whose bytes were already verified against its sha256. */
export declare function parseArtifact(text: string, where: string): PublishedArtifact;
