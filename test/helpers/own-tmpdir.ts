import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Gives this test file a temporary directory of its own (os.tmpdir() reads TMPDIR at each
 * call), removed after it: spilled dataset texts are removed at the process's exit, which
 * vitest's workers end without.
 */
export function ownTmpdir(): void {
  const saved = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), 'promptgate-test-tmp-'));
  beforeAll(() => {
    process.env['TMPDIR'] = dir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });
}
