// Calls the engine's run() the way the action and the CLI do, on a TempRepo.
import { run, type RunOptions } from '../../src/engine/modes/run.js';
import type { Report } from '../../src/engine/types.js';
import type { TempRepo } from './example-repo.js';

type Extra = Partial<Omit<RunOptions, 'root' | 'env'>>;

/** Mode pr: the working tree (the checked-out branch) against main. */
export async function runPr(repo: TempRepo, env: Record<string, string>, extra: Extra = {}): Promise<Report> {
  const sha = await repo.git('rev-parse', 'main');
  return run({ root: repo.dir, mode: 'pr', base: { sha, ref: 'main' }, env, ...extra });
}

export function runMode(mode: 'baseline' | 'drift', repo: TempRepo, env: Record<string, string>, extra: Extra = {}): Promise<Report> {
  return run({ root: repo.dir, mode, env, ...extra });
}
