import type { Config, Finding, Location, ModelRef, Prompt } from '../types.js';
import { classifyModel } from './model-pinning.js';

const DEFAULT_CONFIG_FILE = 'promptgate.yaml';

/** model-unpinned / model-unverified for the prompt's model and every llm-judge model of its suite. */
export function modelFindings(prompt: Prompt, config: Config): Finding[] {
  const refs: Array<{ ref: ModelRef; what: string; at: Location }> = [
    {
      ref: prompt.model,
      what: `model ${JSON.stringify(prompt.model.name)}`,
      at: { file: prompt.model.file ?? prompt.file, line: prompt.model.line ?? prompt.lines.model },
    },
  ];
  for (const metric of prompt.suite.metrics) {
    if (metric.type !== 'llm-judge' || !metric.model) continue;
    refs.push({
      ref: metric.model,
      what: `judge model ${JSON.stringify(metric.model.name)} of metric "${metric.name}"`,
      at: { file: metric.model.file ?? prompt.suite.file, line: metric.model.line ?? metric.line },
    });
  }
  return refs.flatMap(({ ref, what, at }) => {
    const finding = checkModel(ref, what, at, config);
    return finding ? [finding] : [];
  });
}

/** `what` names the model in messages; the finding's own location says where. */
function checkModel(ref: ModelRef, what: string, at: Location, config: Config): Finding | undefined {
  // An unconfigured provider is reported by whoever resolves providers; without its type
  // there is no table to check against.
  const type = config.providers[ref.provider]?.type;
  if (!type) return undefined;
  const pinning = classifyModel(type, ref.name, config.pinning.allow);
  switch (pinning.kind) {
    case 'pinned':
      return undefined;
    case 'floating':
      return {
        rule: 'model-unpinned',
        severity: 'error',
        ...at,
        message:
          `${what} is a floating alias that the provider (${ref.provider}) can repoint to another model at any time, ` +
          `changing behaviour without a version bump: ${pinning.suggestion ? `pin ${pinning.suggestion}` : 'pin a dated snapshot of it'}`,
      };
    case 'unverified':
      return {
        rule: 'model-unverified',
        severity: 'warning',
        ...at,
        message:
          `${what} is not in promptgate's table of known ${type} models and has no snapshot suffix, so it may be a floating alias: ` +
          `if it names a fixed version, add it to pinning.allow in ${config.file ?? DEFAULT_CONFIG_FILE}`,
      };
  }
}
