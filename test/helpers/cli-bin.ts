// The built CLI as users run it: `node dist/cli.js` in a child process (asynchronously, so
// loopback servers of the calling test keep answering).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.js';

export interface BinRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function promptgate(cwd: string, args: string[], env: Record<string, string> = {}): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist/cli.js'), ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
