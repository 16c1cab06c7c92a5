/**
 * Progress for logs (CI, the action): a line at every tenth of the way, so a long run
 * shows it is moving without flooding the log. Shared by both outlets.
 */
export function progressLines(log: (message: string) => void): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    if (!total) return;
    const tenth = Math.floor((done / total) * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    log(`promptgate: ${done}/${total} samples evaluated`);
  };
}
