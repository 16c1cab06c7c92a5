// Temporary git repositories for the engine and CLI tests: a copy of fixtures/example (or
// any files) committed on main, edited on a branch or in the working tree.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, ROOT } from '../e2e/harness.js';

export const EXAMPLE = join(ROOT, 'fixtures/example');

/** Path -> new content, a function of the old content, or null to delete. */
export type Edits = Record<string, string | ((old: string) => string) | null>;

export interface TempRepo {
  /** The repository's root (the workspace the engine runs in). */
  dir: string;
  /** A scratch directory beside the repository, for report files that must not show in its diff. */
  scratch: string;
  edit(edits: Edits): Promise<void>;
  /** Commits everything (new files included) and returns the sha. */
  commit(message: string): Promise<string>;
  read(path: string): Promise<string>;
  git(...args: string[]): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A repository holding `files` (default: a copy of fixtures/example) committed on main,
 * with the response cache ignored as the README tells users to.
 */
export async function tempRepo(files?: Record<string, string>): Promise<TempRepo> {
  const tmp = await mkdtemp(join(tmpdir(), 'promptgate-run-'));
  const dir = join(tmp, 'repo');
  const scratch = join(tmp, 'scratch');
  await mkdir(scratch);
  if (files) await mkdir(dir);
  else await cp(EXAMPLE, dir, { recursive: true });
  const repo: TempRepo = {
    dir,
    scratch,
    async edit(edits) {
      for (const [path, change] of Object.entries(edits)) {
        const full = join(dir, path);
        if (change === null) {
          await rm(full);
          continue;
        }
        const text = typeof change === 'function' ? change(await readFile(full, 'utf8')) : change;
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, text);
      }
    },
    async commit(message) {
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '-q', '--allow-empty', '-m', message);
      return git(dir, 'rev-parse', 'HEAD');
    },
    read: (path) => readFile(join(dir, path), 'utf8'),
    git: (...args) => git(dir, ...args),
    remove: () => rm(tmp, { recursive: true, force: true }),
  };
  await git(dir, 'init', '-q');
  await repo.edit({ ...(files ?? {}), '.gitignore': '.promptgate/cache/\n' });
  await repo.commit('production prompts');
  return repo;
}

/** Bumps `version: x.y.z` to x.y.(z+1) in a prompt file's text. */
export function bumpPatch(text: string): string {
  return text.replace(/^version: (\d+)\.(\d+)\.(\d+)$/m, (_, major, minor, patch) => `version: ${major}.${minor}.${Number(patch) + 1}`);
}
