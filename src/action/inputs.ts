import * as core from '@actions/core';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, normalize, resolve } from 'node:path';
import { UserError } from '../engine/errors.js';
import { parseShard } from '../engine/modes/shard.js';
import { BASELINE_POLICIES, SETTINGS, parseSetting, type BaselinePolicy, type NumberSetting } from '../engine/settings.js';
import type { Mode, Shard } from '../engine/types.js';

/** Input names exactly as action.yml declares them. */
export const INPUT = {
  githubToken: 'github-token',
  config: 'config',
  mode: 'mode',
  baseline: 'baseline',
  concurrency: 'concurrency',
  comment: 'comment',
  failOnRegression: 'fail-on-regression',
  acceptLabel: 'accept-label',
  report: 'report',
  htmlReport: 'html-report',
  maxCostUsd: 'max-cost-usd',
  openaiApiKey: 'openai-api-key',
  anthropicApiKey: 'anthropic-api-key',
  shard: 'shard',
  reports: 'reports',
  events: 'events',
  apply: 'apply',
  publishDir: 'publish-dir',
  allowUntrustedCheckout: 'allow-untrusted-checkout',
} as const;

/** The engine's modes, plus `merge` (the partial reports of a sharded run made into one) and
 * `canary` (not a gate run: it checks rollouts, src/action/canary.ts). */
export type ActionMode = Mode | 'merge' | 'canary';
const MODES = ['pr', 'baseline', 'drift', 'lint', 'merge', 'canary', 'release'] as const satisfies readonly ActionMode[];

export interface ActionInputs {
  /** Empty when the workflow passes no token: no API calls, git diff for changed files. */
  githubToken: string;
  configPath: string;
  mode: ActionMode;
  /** Evaluate only this shard's work units and write a partial report. */
  shard?: Shard;
  /** Mode merge: glob of the partial reports, relative to the workspace. */
  reports?: string;
  baseline: BaselinePolicy;
  /** Undefined: the configuration's value. */
  concurrency?: number;
  comment: boolean;
  failOnRegression: boolean;
  acceptLabel: string;
  /** As given; resolved against the workspace by the caller. */
  reportPath: string;
  /** Where to write the HTML report, relative to the workspace; undefined: none. */
  htmlReportPath?: string;
  maxCostUsd?: number;
  /** Mode canary: globs of event files, one a line. */
  events: string[];
  /** Mode canary: write the decisions to the release manifest. */
  apply: boolean;
  /** Mode release: absolute directory to publish the bundle to (SPEC 10.4); undefined: no publish. */
  publishDir?: string;
  /** Run on pull_request_target even with the pull request's code checked out (SPEC 14). */
  allowUntrustedCheckout: boolean;
  /** The environment handed to the engine: the process's, with the API key inputs applied. */
  env: Record<string, string | undefined>;
}

/**
 * Reads and validates every input once. Each bad input gets its own message naming the
 * input, what it accepts and what it got. Every secret is masked before anything can log it.
 */
export function readInputs(): ActionInputs {
  const processEnv = process.env;
  const githubToken = input(INPUT.githubToken);
  const openaiKey = input(INPUT.openaiApiKey) || processEnv.OPENAI_API_KEY || '';
  const anthropicKey = input(INPUT.anthropicApiKey) || processEnv.ANTHROPIC_API_KEY || '';
  for (const secret of [githubToken, openaiKey, anthropicKey]) if (secret) core.setSecret(secret);

  const env = { ...processEnv };
  if (openaiKey) env.OPENAI_API_KEY = openaiKey;
  if (anthropicKey) env.ANTHROPIC_API_KEY = anthropicKey;

  const concurrency = optionalNumber(INPUT.concurrency, SETTINGS.concurrency);
  const maxCostUsd = optionalNumber(INPUT.maxCostUsd, SETTINGS.maxCostUsd);
  const mode = oneOf(INPUT.mode, MODES, 'pr');
  const shardText = input(INPUT.shard);
  const shard = shardText ? parseShard(shardText, `input "${INPUT.shard}"`) : undefined;
  const reports = input(INPUT.reports);
  if (mode === 'merge' && !reports) {
    throw new UserError(
      `mode merge needs the input "${INPUT.reports}": a glob of the shards' partial reports (e.g. promptgate-shards/*.json, as actions/download-artifact put them)`,
    );
  }
  if (mode === 'merge' && shard) throw new UserError(`mode merge reads every shard: drop the input "${INPUT.shard}"`);
  if (mode === 'release' && shard) throw new UserError(`mode release archives every prompt in one job: drop the input "${INPUT.shard}"`);
  const publishDir = publishDirectory(mode);
  return {
    githubToken,
    configPath: repoRelativePath(INPUT.config, input(INPUT.config) || 'promptgate.yaml'),
    mode,
    ...(shard && { shard }),
    ...(mode === 'merge' && { reports }),
    baseline: oneOf(INPUT.baseline, BASELINE_POLICIES, 'auto'),
    ...(concurrency !== undefined && { concurrency }),
    comment: boolean(INPUT.comment, true),
    failOnRegression: boolean(INPUT.failOnRegression, true),
    acceptLabel: input(INPUT.acceptLabel) || 'promptgate:accept',
    reportPath: input(INPUT.report) || 'promptgate-report.json',
    ...(input(INPUT.htmlReport) && { htmlReportPath: repoRelativePath(INPUT.htmlReport, input(INPUT.htmlReport)) }),
    ...(maxCostUsd !== undefined && { maxCostUsd }),
    events: core.getMultilineInput(INPUT.events, { trimWhitespace: true }).filter(Boolean),
    apply: boolean(INPUT.apply, false),
    ...(publishDir && { publishDir }),
    allowUntrustedCheckout: boolean(INPUT.allowUntrustedCheckout, false),
    env,
  };
}

function input(name: string): string {
  return core.getInput(name, { trimWhitespace: true });
}

function invalid(name: string, expected: string, got: string): UserError {
  return new UserError(`input "${name}" must be ${expected}; got "${got}"`);
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = input(name);
  if (!value) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(name, `one of ${allowed.join(', ')}`, value);
}

function boolean(name: string, fallback: boolean): boolean {
  const value = input(name);
  if (!value) return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw invalid(name, 'true or false', value);
}

function optionalNumber(name: string, setting: NumberSetting): number | undefined {
  const value = input(name);
  if (!value) return undefined;
  const n = parseSetting(setting, value);
  if (n === undefined) throw invalid(name, setting.expected, value);
  return n;
}

/** Where mode release publishes: relative to the workspace or absolute (e.g. under runner.temp), never an existing file. */
function publishDirectory(mode: ActionMode): string | undefined {
  const value = input(INPUT.publishDir);
  if (!value) return undefined;
  if (mode !== 'release') {
    throw new UserError(`input "${INPUT.publishDir}" is read by mode release only (mode is ${mode}): drop it, or set mode: release`);
  }
  const dir = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), value);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw invalid(INPUT.publishDir, 'a directory to write the bundle to (it is created when missing), but that path is a file', value);
  }
  return dir;
}

function repoRelativePath(name: string, value: string): string {
  const path = normalize(value).replaceAll('\\', '/');
  if (isAbsolute(value) || path === '..' || path.startsWith('../')) {
    throw invalid(name, 'a path relative to the repository root', value);
  }
  return path;
}
