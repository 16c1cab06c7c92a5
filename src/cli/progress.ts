import { progressLines } from '../progress.js';

/**
 * Progress on a terminal: one line redrawn in place on stderr, throttled so thousands of
 * samples do not flood it. Off a terminal (CI logs): a quiet line at every tenth.
 */
export function progressBar(stream: NodeJS.WriteStream): { update(done: number, total: number): void; end(): void } {
  if (!stream.isTTY) return { update: progressLines((line) => stream.write(`${line}\n`)), end() {} };
  const width = 30;
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 80) return;
      last = now;
      const filled = total ? Math.round((done / total) * width) : 0;
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} samples`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
