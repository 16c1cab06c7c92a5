// The engine behind eval, lint, baseline, drift, release and merge (model SDKs, report
// renderers) loads when one of them runs, not when the CLI starts: `canary check` and
// `promote` never pay its start-up memory. The CLI bundle is split (scripts/bundle.mjs), so
// it is a separate chunk that is not even parsed until then.
import type { runEngine as RunEngine } from './run-engine.js';

export async function runEngine(...args: Parameters<typeof RunEngine>): ReturnType<typeof RunEngine> {
  return (await import('./run-engine.js')).runEngine(...args);
}
