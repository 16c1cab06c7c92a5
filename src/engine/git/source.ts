import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import { git as gitText } from './commands.js';
import { SpilledText } from '../files/spilled-text.js';

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
  /**
   * A regular file of more than `overBytes` and at most `upToBytes`, copied to a temporary file
   * without being read in; else undefined, for readBytes to read it. Only a working tree's files
   * are on disk: a commit's come out of git whole.
   */
  copyLarge?(path: string, overBytes: number, upToBytes: number): SpilledText | undefined;
  /** Repo-relative files matching any of the globs, sorted. */
  glob(patterns: string[]): string[];
}

const IGNORED = ['**/node_modules/**', '**/.git/**'];

export class WorkTree implements FileSource {
  readonly label = 'working tree';
  /** Every path read, so that a commit's copy of the same project can be fetched in one go. */
  readonly requested = new Set<string>();
  constructor(readonly root: string) {}

  read(path: string): string | undefined {
    return this.readBytes(path)?.toString('utf8');
  }

  readBytes(path: string): Buffer | undefined {
    this.requested.add(path);
    const full = join(this.root, path);
    return existsSync(full) ? readFileSync(full) : undefined;
  }

  copyLarge(path: string, overBytes: number, upToBytes: number): SpilledText | undefined {
    this.requested.add(path);
    const stats = statSync(join(this.root, path), { throwIfNoEntry: false });
    if (!stats?.isFile() || stats.size <= overBytes || stats.size > upToBytes) return undefined;
    return SpilledText.copyOf(join(this.root, path));
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

  /**
   * Reads the commit's copies of `paths` ahead of the loader's (synchronous) reads, without
   * blocking: the tree and every blob (one `git cat-file --batch`) in two concurrent git
   * calls, instead of one git process per file. A path it misses is read on demand as
   * before; a failure here only means the reads happen one by one.
   */
  async preload(paths: Iterable<string>): Promise<void> {
    const wanted = [...paths].filter((p) => !this.cache.has(p) && !p.includes('\n'));
    try {
      const [tree, out] = await Promise.all([
        this.files ? undefined : gitText(this.root, ['ls-tree', '-r', '--name-only', '-z', this.sha]),
        catFileBatch(
          this.root,
          wanted.map((p) => `${this.sha}:./${p}`),
        ),
      ]);
      if (tree !== undefined) this.files = parseTree(tree);
      let at = 0;
      for (const path of wanted) {
        const eol = out.indexOf(0x0a, at);
        // "<oid> <type> <size>", or "<name> missing" for a path the commit lacks.
        const found = /^[0-9a-f]+ (\w+) (\d+)$/.exec(out.subarray(at, eol).toString('utf8'));
        if (!found) {
          this.cache.set(path, undefined);
          at = eol + 1;
          continue;
        }
        const start = eol + 1;
        const end = start + Number(found[2]);
        if (found[1] === 'blob') this.cache.set(path, out.subarray(start, end));
        at = end + 1;
      }
    } catch {
      // read() asks git again, file by file, and reports what is wrong
    }
  }

  private list(): Set<string> {
    this.files ??= parseTree(git(this.root, ['ls-tree', '-r', '--name-only', '-z', this.sha]).toString('utf8'));
    return this.files;
  }
}

/** `git ls-tree -r --name-only -z` output: the files, sorted. */
function parseTree(out: string): Set<string> {
  return new Set(out.split('\0').filter(Boolean).sort());
}

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `git cat-file --batch` over `objects`: for each, a "<oid> <type> <size>" line, the bytes, a newline. */
async function catFileBatch(cwd: string, objects: string[]): Promise<Buffer> {
  const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdin.on('error', () => undefined); // git gone early: its exit code says so
  child.stdin.end(objects.map((o) => `${o}\n`).join(''));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`git cat-file --batch exited ${code}`);
  return Buffer.concat(chunks);
}
