import type { Config, Finding, ModelRef } from '../types.js';
import type { KeyPath, StructuredFile } from './parse.js';

/** `model: {provider, name, ...params}` written at `path` of `parsed`; an unknown provider is a finding. */
export function modelRef(
  config: Config,
  parsed: StructuredFile,
  path: KeyPath,
  input: { provider: string; name: string; [param: string]: unknown },
  findings: Finding[],
): ModelRef {
  const { provider, name, ...params } = input;
  if (!Object.hasOwn(config.providers, provider)) {
    const known = Object.keys(config.providers).join(', ');
    findings.push(
      parsed.findingAt(
        [...path, 'provider'],
        `unknown provider "${provider}"; expected one of ${known}; fix the name or declare it under providers: in promptgate.yaml`,
      ),
    );
  }
  return { provider, name, params, line: parsed.position([...path, 'name']).line, file: parsed.file };
}
