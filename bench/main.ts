// npm run bench: runs each bench in order, prints its figures, and exits non-zero when a
// figure misses its target. Add a bench by adding its module to BENCHES. Arguments name the
// benches to run (e.g. `node scripts/run-ts.mjs bench/main.ts gate`); none runs them all.
import { isMainThread, workerData } from 'node:worker_threads';
import * as canary from './canary.js';
import * as dashboard from './dashboard.js';
import * as gateSimulation from './gate-simulation.js';
import * as memory from './memory.js';
import * as product from './product.js';
import * as runtime from './runtime.js';
import * as throughput from './throughput.js';

export interface BenchCheck {
  label: string;
  ok: boolean;
}

interface Bench {
  name: string;
  run(): Promise<BenchCheck[]>;
}

const BENCHES: Record<string, Bench> = { product, throughput, memory, gate: gateSimulation, canary, dashboard, runtime };

/**
 * A bench may start this same bundle to play a role (e.g. a server): in a worker thread
 * (workerData.role), or in a child process (BENCH_ROLE) when it must measure a fresh process.
 */
const WORKER_ROLES: Record<string, () => Promise<void>> = {
  'model-server': throughput.modelServerWorker,
  'gate-model-server': gateSimulation.modelServerWorker,
  'gate-engine': gateSimulation.engineWorker,
  'memory-engine': memory.memoryEngine,
  'pages-report': dashboard.reportWorker,
  'product-model-server': product.modelServerWorker,
};
const roleName = isMainThread ? process.env['BENCH_ROLE'] : (workerData as { role: string }).role;

if (roleName === undefined) {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((key) => !Object.hasOwn(BENCHES, key));
  if (unknown.length > 0) throw new Error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  let missed = 0;
  for (const bench of wanted.length > 0 ? wanted.map((key) => BENCHES[key]!) : Object.values(BENCHES)) {
    console.log(`\n${bench.name}`);
    for (const check of await bench.run()) {
      console.log(`  ${check.ok ? 'ok  ' : 'MISS'} ${check.label}`);
      if (!check.ok) missed += 1;
    }
  }
  console.log(missed === 0 ? '\nall bench targets met' : `\n${missed} bench target(s) missed`);
  if (missed > 0) process.exitCode = 1;
} else {
  const role = WORKER_ROLES[roleName];
  if (!role) throw new Error(`unknown bench worker role: ${roleName}`);
  await role();
}
