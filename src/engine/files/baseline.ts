import { posix } from 'node:path';
import * as z from 'zod';
import type { FileSource } from '../git/source.js';
import type { BaselineFile, EvalResult, Finding, Prompt, ScoreTable } from '../types.js';
import { TOOL_VERSION } from '../version.js';

export const BASELINE_SCHEMA = 'promptgate/baseline@1';

export function baselinePath(baselinesDir: string, name: string): string {
  return posix.join(baselinesDir, `${name}.json`);
}

const scoreMap = z.record(z.string(), z.number());
const baselineSchema = z.object({
  schema: z.literal(BASELINE_SCHEMA),
  name: z.string(),
  version: z.string(),
  prompt_hash: z.string(),
  suite_hash: z.string(),
  model: z.string(),
  created_at: z.string(),
  tool_version: z.string(),
  repeat: z.number().int().positive(),
  metrics: z.record(z.string(), z.object({ mean: z.number(), n: z.number() })),
  cases: z.record(z.string(), scoreMap),
  outputs: z.record(z.string(), z.string()).optional(),
});

export type StoredBaseline = { baseline: BaselineFile } | { problem: Finding } | { missing: true };

/** The stored baseline of a prompt as `src` holds it; a file that does not parse is a problem, not a crash. */
export function readBaseline(src: FileSource, baselinesDir: string, name: string): StoredBaseline {
  const file = baselinePath(baselinesDir, name);
  const text = src.read(file);
  if (text === undefined) return { missing: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return {
      problem: invalid(file, `is not valid JSON (${(err as Error).message}); delete it and run promptgate baseline to write it again.`),
    };
  }
  const result = baselineSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return {
      problem: invalid(
        file,
        `is not a promptgate/baseline@1 file: ${issue.path.join('.') || '(root)'}: ${issue.message}. Run promptgate baseline to write it again.`,
      ),
    };
  }
  return { baseline: result.data as BaselineFile };
}

/** The baseline of `result`, an evaluation on `suiteOf`'s suite. */
export function toBaseline(result: EvalResult, table: ScoreTable, suiteOf: Prompt, now = new Date()): BaselineFile {
  const outputs: Record<string, string> = {};
  for (const s of result.samples) if (s.sample === 0) outputs[s.caseId] = s.output;
  return {
    schema: BASELINE_SCHEMA,
    name: result.prompt,
    version: result.version,
    prompt_hash: result.promptHash,
    // Hashed on first read (artifact.suiteHash): a pull-request run never pays for it.
    suite_hash: suiteOf.artifact.suiteHash,
    model: result.model,
    created_at: now.toISOString(),
    tool_version: TOOL_VERSION,
    repeat: suiteOf.suite.repeat,
    metrics: table.metrics,
    cases: Object.fromEntries(table.cases),
    outputs,
  };
}

function invalid(file: string, message: string): Finding {
  return { rule: 'invalid-file', severity: 'error', file, line: 1, message: `${file} ${message}` };
}
