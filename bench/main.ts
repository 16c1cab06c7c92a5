// npm run bench: runs each bench in order, prints its figures, and exits non-zero when a
// figure misses its target. Add a bench by appending its module to BENCHES.
import { isMainThread, workerData } from 'node:worker_threads';
import * as throughput from './throughput.js';

export interface BenchCheck {
  label: string;
  ok: boolean;
}

interface Bench {
  name: string;
  run(): Promise<BenchCheck[]>;
}

const BENCHES: Bench[] = [throughput];

/** A bench may start this same bundle in a worker thread to play a role (e.g. a server). */
const WORKER_ROLES: Record<string, () => Promise<void>> = {
  'model-server': throughput.modelServerWorker,
};

if (isMainThread) {
  let missed = 0;
  for (const bench of BENCHES) {
    console.log(`\n${bench.name}`);
    for (const check of await bench.run()) {
      console.log(`  ${check.ok ? 'ok  ' : 'MISS'} ${check.label}`);
      if (!check.ok) missed += 1;
    }
  }
  console.log(missed === 0 ? '\nall bench targets met' : `\n${missed} bench target(s) missed`);
  if (missed > 0) process.exitCode = 1;
} else {
  const role = WORKER_ROLES[(workerData as { role: string }).role];
  if (!role) throw new Error(`unknown bench worker role: ${String((workerData as { role: string }).role)}`);
  await role();
}
