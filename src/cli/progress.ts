import { SingleBar } from 'cli-progress';
import { duration } from '../engine/report/format.js';
import { progressLines } from '../progress.js';

export interface Progress {
  update(done: number, total: number): void;
  /** Clears the line: the summary follows. */
  end(): void;
  /** A line of the run's log, printed above the progress line. */
  log(message: string): void;
  readonly done: number;
  readonly total: number;
}

/** Everything on the line but the bar; the bar takes what the terminal's width leaves. */
const FORMAT = ' {value}/{total} samples · {rate}/s · ETA {left}';
/** The widest the text around the bar gets (6-digit counts, a 4-digit rate, "ETA 59m59s"). */
const TEXT_WIDTH = 50;

/**
 * Progress on a terminal: one line redrawn in place on stderr (cli-progress), as wide as the
 * terminal and never wider, with done/total, rate and ETA. Off a terminal (CI logs): a quiet
 * line at every tenth of the way.
 */
export function progressBar(stream: NodeJS.WriteStream): Progress {
  let done = 0;
  let total = 0;
  if (!stream.isTTY) {
    const lines = progressLines((line) => stream.write(`${line}\n`));
    return {
      update(d, t) {
        done = d;
        total = t;
        lines(d, t);
      },
      end() {},
      log(message) {
        stream.write(`${message}\n`);
      },
      get done() {
        return done;
      },
      get total() {
        return total;
      },
    };
  }
  const columns = stream.columns || 80;
  const bar = new SingleBar({
    stream,
    format: `{bar}${FORMAT}`,
    barsize: Math.max(4, Math.min(30, columns - TEXT_WIDTH)),
    barCompleteChar: '█',
    barIncompleteChar: '░',
    // Clip to the terminal's width (read at every redraw, so a resize is followed).
    linewrap: true,
    hideCursor: true,
    clearOnComplete: true,
    fps: 10,
  });
  const started = Date.now();
  let running = false;
  // Rate and time left over the whole run so far: steadier than a window when calls finish in bursts.
  const payload = () => {
    const perSecond = done / Math.max((Date.now() - started) / 1000, 0.001);
    return {
      rate: perSecond.toFixed(perSecond >= 10 ? 0 : 1),
      left: done > 0 && total > done ? duration(((total - done) / perSecond) * 1000) : done >= total ? '0 s' : '-',
    };
  };
  return {
    update(d, t) {
      done = d;
      if (!running) {
        if (!t) return;
        total = t;
        bar.start(t, d, payload());
        running = true;
      } else if (t !== total) bar.setTotal(t);
      total = t;
      bar.update(d, payload());
    },
    end() {
      if (running) bar.stop();
      running = false;
    },
    log(message) {
      // Clear the progress line, print, and let the next update redraw it below.
      stream.write(`${running ? '\r\x1b[K' : ''}${message}\n`);
    },
    get done() {
      return done;
    },
    get total() {
      return total;
    },
  };
}
