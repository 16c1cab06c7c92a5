// Where a bundle is read from: an http(s) URL (conditional requests with If-None-Match) or
// a local directory. Every failure is a BundleError naming the URL or path and what was
// expected there.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleError } from './errors.js';

export type FetchFunction = (input: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export type ManifestRead = { notModified: true } | { notModified: false; text: string; etag?: string };

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

export const MANIFEST_FILE = 'manifest.json';

export function artifactFile(sha256: string): string {
  return `artifacts/${sha256}.json`;
}
const EXPECTED = 'a bundle written by `promptgate publish --out DIR`';

export function openSource(spec: string, fetchFn: FetchFunction, timeoutMs: number): BundleSource {
  if (/^https?:\/\//i.test(spec)) return new HttpSource(spec, fetchFn, timeoutMs);
  return new DirectorySource(spec.startsWith('file:') ? fileURLToPath(spec) : resolve(spec));
}

class HttpSource implements BundleSource {
  readonly location: string;

  constructor(
    url: string,
    private readonly fetchFn: FetchFunction,
    private readonly timeoutMs: number,
  ) {
    this.location = url.endsWith('/') ? url : `${url}/`;
  }

  where(file: string): string {
    return new URL(file, this.location).href;
  }

  async readManifest(etag: string | undefined): Promise<ManifestRead> {
    const url = this.where(MANIFEST_FILE);
    return this.request(url, etag, async (response) => {
      if (response.status === 304) return { notModified: true };
      const found = response.headers.get('etag');
      return { notModified: false, text: await response.text(), ...(found ? { etag: found } : {}) };
    });
  }

  async readArtifact(sha256: string): Promise<Uint8Array> {
    const url = this.where(artifactFile(sha256));
    return this.request(url, undefined, async (response) => new Uint8Array(await response.arrayBuffer()));
  }

  /** One GET, body included, under the timeout; a status other than 2xx/304 is an error. */
  private async request<T>(url: string, etag: string | undefined, read: (response: Response) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.fetchFn(url, { headers: etag ? { 'if-none-match': etag } : {}, signal });
      if (!response.ok && response.status !== 304) {
        await response.body?.cancel().catch(() => undefined);
        throw new BundleError(`GET ${url} answered HTTP ${response.status}; expected ${EXPECTED}`, url);
      }
      return await read(response);
    } catch (error) {
      if (error instanceof BundleError) throw error;
      if (signal.aborted) throw new BundleError(`GET ${url} did not answer within ${this.timeoutMs} ms`, url);
      const cause = (error as Error & { cause?: Error }).cause?.message;
      throw new BundleError(`GET ${url} failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}`, url);
    }
  }
}

class DirectorySource implements BundleSource {
  constructor(readonly location: string) {}

  where(file: string): string {
    return join(this.location, file);
  }

  async readManifest(etag: string | undefined): Promise<ManifestRead> {
    const text = (await this.read(MANIFEST_FILE)).toString('utf8');
    // A directory has no ETag; the manifest's own hash serves, so an unchanged file is not parsed again.
    const hash = createHash('sha256').update(text).digest('hex');
    return hash === etag ? { notModified: true } : { notModified: false, text, etag: hash };
  }

  async readArtifact(sha256: string): Promise<Uint8Array> {
    return this.read(artifactFile(sha256));
  }

  private async read(file: string): Promise<Buffer> {
    const path = this.where(file);
    try {
      return await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new BundleError(`cannot read ${path}: ${(error as Error).message}`, path);
      const dirMissing = await stat(this.location).then(
        () => false,
        () => true,
      );
      throw new BundleError(
        dirMissing
          ? `bundle directory ${this.location} does not exist; expected ${EXPECTED}`
          : `${path} does not exist; expected ${EXPECTED}`,
        path,
      );
    }
  }
}
