// Fresh processes for figures that are whole-process, whole-life (peak RSS): the CLI users
// run (runCli), any node script (runNode), or this same bench bundle playing `role` (runChild;
// bench/main.ts WORKER_ROLES), which prints its figures as JSON on its last stdout line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
/** Loaded before the CLI: samples its heap and prints its peak RSS and heap as it exits. */
const PROBE = `data:text/javascript,${encodeURIComponent(
  'let peak = 0; const sample = () => { peak = Math.max(peak, process.memoryUsage().heapUsed); }; setInterval(sample, 20).unref();' +
    'process.on("exit", () => { sample(); process.stderr.write(`\\nbench-memory ${process.resourceUsage().maxRSS} ${peak}\\n`); });',
)}`;

export interface CliFigures {
  code: number;
  /** Spawn to exit. */
  wallMs: number;
  maxRssMb: number;
  /** Highest heap in use, sampled every 20 ms. */
  peakHeapMb: number;
  stderr: string;
}

/** `node dist/cli.js ARGS` in `cwd`, from spawn to exit; exit codes other than `okCodes` throw. */
export function runCli(args: string[], cwd: string, okCodes = [0]): Promise<CliFigures> {
  return runNode([CLI, ...args], { cwd, okCodes });
}

/** `node ARGV` (with the memory probe loaded first), from spawn to exit; exit codes other than `okCodes` throw. */
export async function runNode(
  argv: string[],
  { cwd, env = {}, okCodes = [0] }: { cwd: string; env?: Record<string, string>; okCodes?: number[] },
): Promise<CliFigures> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', PROBE, ...argv], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallMs = performance.now() - t0;
  const memory = /bench-memory (\d+) (\d+)/.exec(stderr);
  if (code === null || !okCodes.includes(code) || !memory) throw new Error(`node ${argv.join(' ')} exited ${code}: ${stderr}`);
  return {
    code,
    wallMs,
    maxRssMb: Math.round(Number(memory[1]) / 1024),
    peakHeapMb: Math.round(Number(memory[2]) / 1e6),
    stderr,
  };
}

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
