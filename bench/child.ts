// Runs this same bench bundle in a fresh child process playing `role` (bench/main.ts
// WORKER_ROLES): peak RSS is a whole-process, whole-life figure, so what is measured runs
// alone. The child prints its figures as JSON on its last stdout line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export async function runChild<Figures>(role: string, env: Record<string, string>): Promise<Figures> {
  const child = spawn(process.execPath, [process.argv[1]!], {
    env: { ...process.env, ...env, BENCH_ROLE: role },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`the ${role} child failed (exit ${code}): ${out}`);
  return JSON.parse(last) as Figures;
}

/** Prints its figures as the last stdout line (the child side of runChild). */
export function reportFigures(figures: object): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Peak RSS of this process so far, in MB. */
export function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
