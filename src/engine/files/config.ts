import { posix } from 'node:path';
import type { FileSource } from '../git/source.js';
import type { Config, Finding, ProviderConfig } from '../types.js';
import { invalid } from './finding.js';
import { validate } from './issues.js';
import type { StructuredFile } from './parse.js';
import { MAX_FILE_BYTES, readStructured } from './read.js';
import { configSchema, type ConfigInput } from './schemas.js';

export const DEFAULT_CONFIG_PATH = 'promptgate.yaml';

const IMPLICIT_PROVIDERS: Record<string, ProviderConfig> = {
  openai: { type: 'openai' },
  anthropic: { type: 'anthropic' },
};

/** SPEC 1.1: the config file's values over the defaults. A missing default config file means the defaults. */
export function loadConfig(src: FileSource, configPath: string = DEFAULT_CONFIG_PATH): { config: Config; findings: Finding[] } {
  const read = readStructured(src, configPath, MAX_FILE_BYTES);
  if (read.missing) {
    const findings =
      configPath === DEFAULT_CONFIG_PATH
        ? []
        : [invalid({ file: configPath }, `config file ${configPath} not found; create it or name an existing file`)];
    return { config: defaultConfig(), findings };
  }
  if (!read.value) return { config: buildConfig({}, configPath), findings: read.findings };

  const parsed = read.value;
  const { data, findings } = validate(configSchema, parsed, parsed.value);
  const input = data ?? salvage(parsed, findings);
  const config = buildConfig(input, configPath);
  for (const [name, provider] of Object.entries(config.providers)) {
    if (!provider.type) {
      findings.push(parsed.findingAt(['providers', name], `provider "${name}" has no type; add type: openai or type: anthropic`));
      delete config.providers[name];
    }
  }
  return { config, findings };
}

/**
 * Drops the top-level keys that have problems and keeps the rest, so one typo does not also
 * break every prompt that relies on, say, a custom provider.
 */
function salvage(parsed: StructuredFile, findings: Finding[]): ConfigInput {
  const value = parsed.value;
  const badKeys = new Set(findings.map((f) => f.key?.split('.')[0]));
  if (badKeys.has(undefined) || !value || typeof value !== 'object' || Array.isArray(value)) return {};
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !badKeys.has(k)));
  return configSchema.safeParse(rest).data ?? {};
}

/** The configuration of a repository without promptgate.yaml (SPEC 1.1 defaults). */
export function defaultConfig(): Config {
  return buildConfig({});
}

function buildConfig(input: ConfigInput, file?: string): Config {
  const providers: Record<string, ProviderConfig> = {};
  for (const name of new Set([...Object.keys(IMPLICIT_PROVIDERS), ...Object.keys(input.providers ?? {})])) {
    // A type-less entry is reported (and dropped) by loadConfig.
    providers[name] = { ...IMPLICIT_PROVIDERS[name], ...input.providers?.[name] } as ProviderConfig;
  }
  // SPEC 9: paths in a file are relative to that file, so a config in a subfolder governs it.
  const dir = file ? posix.dirname(file) : '.';
  const at = (path: string): string => posix.join(dir, path);
  return {
    file,
    prompts: (input.prompts ?? ['prompts/**/*.prompt.yaml']).map(at),
    baselines: at(input.baselines ?? '.promptgate/baselines'),
    cache: at(input.cache ?? '.promptgate/cache'),
    releases: at(input.releases ?? '.promptgate/releases.yaml'),
    concurrency: input.concurrency ?? 8,
    providers,
    pinning: { allow: input.pinning?.allow ?? [] },
    pricing: input.pricing ?? {},
    budget: input.budget ?? {},
    gate: { max_drop: 0, alpha: 'auto', max_error_rate: 0, ...input.gate },
  };
}
