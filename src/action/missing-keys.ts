import type { MissingKey, PromptReport } from '../engine/types.js';
import { INPUT } from './inputs.js';

/** The action input that sets each default key variable (custom providers have only their variable). */
const INPUT_FOR_ENV: Record<string, string> = {
  OPENAI_API_KEY: INPUT.openaiApiKey,
  ANTHROPIC_API_KEY: INPUT.anthropicApiKey,
};

/** How to give the action the keys a prompt lacked, naming the input and the environment variable. */
export function missingKeysMessage(p: PromptReport & { missing_keys: MissingKey[] }): string {
  const how = p.missing_keys.map(({ provider, env }) => {
    const input = INPUT_FOR_ENV[env];
    return input
      ? `set the input "${input}" (or the ${env} environment variable) for provider '${provider}'`
      : `set the ${env} environment variable for provider '${provider}'`;
  });
  return (
    `${p.name} needs an API key that this run does not have: ${how.join('; ')}, e.g. from a repository secret. ` +
    'Pull requests from forks get no secrets: what the response cache held was evaluated, the rest is reported as errors.'
  );
}
