export type FetchFunction = (input: string, init: {
    headers: Record<string, string>;
    signal: AbortSignal;
}) => Promise<Response>;
export type ManifestRead = {
    notModified: true;
} | {
    notModified: false;
    text: string;
    etag?: string;
};
export interface BundleSource {
    /** The URL or absolute path, for messages. */
    readonly location: string;
    /** The manifest, or `notModified` when it still matches `etag`. */
    readManifest(etag: string | undefined): Promise<ManifestRead>;
    /** The bytes of `artifacts/<sha256>.json` (not yet verified). */
    readArtifact(sha256: string): Promise<Uint8Array>;
    /** The URL or path of a file of the bundle, for messages. */
    where(file: string): string;
}
export declare const MANIFEST_FILE = "manifest.json";
export declare function artifactFile(sha256: string): string;
export declare function openSource(spec: string, fetchFn: FetchFunction, timeoutMs: number): BundleSource;
