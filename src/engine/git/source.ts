import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';

/**
 * Read-only view of a repository's files at one point in time: the working tree, or a
 * commit. Loaders read through it so that a prompt's base version loads like its head.
 */
export interface FileSource {
  /** What this is, for messages: `working tree` or a short sha. */
  readonly label: string;
  /** File text, or undefined when there is no such file. Paths are repo-relative. */
  read(path: string): string | undefined;
  /** Raw bytes, for encoding checks. */
  readBytes(path: string): Buffer | undefined;
  /** Repo-relative files matching any of the globs, sorted. */
  glob(patterns: string[]): string[];
}

const IGNORED = ['**/node_modules/**', '**/.git/**'];

export class WorkTree implements FileSource {
  readonly label = 'working tree';
  constructor(readonly root: string) {}

  read(path: string): string | undefined {
    return this.readBytes(path)?.toString('utf8');
  }

  readBytes(path: string): Buffer | undefined {
    const full = join(this.root, path);
    return existsSync(full) ? readFileSync(full) : undefined;
  }

  glob(patterns: string[]): string[] {
    return globSync(patterns, { cwd: this.root, ignore: IGNORED, dot: false }).sort();
  }
}

/**
 * The tree of one commit, read with git; the commit must be present locally. Paths are
 * relative to `root`, which may be a folder inside the repository (git's `./` paths).
 */
export class GitTree implements FileSource {
  readonly label: string;
  private files?: Set<string>;
  private readonly cache = new Map<string, Buffer | undefined>();

  constructor(
    readonly root: string,
    readonly sha: string,
  ) {
    this.label = sha.slice(0, 7);
  }

  read(path: string): string | undefined {
    return this.readBytes(path)?.toString('utf8');
  }

  readBytes(path: string): Buffer | undefined {
    if (!this.cache.has(path)) {
      this.cache.set(path, this.list().has(path) ? git(this.root, ['show', `${this.sha}:./${path}`]) : undefined);
    }
    return this.cache.get(path);
  }

  glob(patterns: string[]): string[] {
    const match = picomatch(patterns, { ignore: IGNORED });
    return [...this.list()].filter((f) => match(f));
  }

  private list(): Set<string> {
    this.files ??= new Set(
      git(this.root, ['ls-tree', '-r', '--name-only', '-z', this.sha]).toString('utf8').split('\0').filter(Boolean).sort(),
    );
    return this.files;
  }
}

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}
