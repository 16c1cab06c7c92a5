import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Tests that run dist/ as a user would need it built from the current source, once. */
export function setup(): void {
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
}
