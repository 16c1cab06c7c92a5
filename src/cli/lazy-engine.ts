// The engine behind eval, lint, baseline, drift, release and merge (model SDKs, report
// renderers) loads when one of them runs, not when the CLI starts: `canary check` and
// `promote` never pay its start-up memory. The CLI bundle is split (scripts/bundle.mjs), so
// it is a separate chunk that is not even parsed until then; git answers meanwhile.
import { askRefs } from './refs.js';
import type { runEngine as RunEngine } from './run-engine.js';

type Args = Parameters<typeof RunEngine>;

export async function runEngine(command: Args[0], values: Args[1], request: Args[2], io: Args[3]): ReturnType<typeof RunEngine> {
  const refs = askRefs(request, io.cwd);
  return (await import('./run-engine.js')).runEngine(command, values, request, io, refs);
}
