// Mode release (SPEC 10.2, 11): archive every current prompt version that has no archive
// entry, with its eval scores at release (the stored baseline when it matches, else
// evaluated through the normal runner, cache and budget). All or nothing: a refusal or a
// failed evaluation writes no file. With `publishDir`, then publish the bundle (SPEC 10.4).
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { scoreTable } from '../gate/compare.js';
import { buildPromptReport, type UnjudgedPromptReport } from '../gate/prompt-report.js';
import type { AffectedPrompt } from '../git/graph.js';
import { toArchive, archivePath, writeArchive } from '../registry/archive.js';
import { commitOf, permalink, uncommitted } from '../registry/history.js';
import { loadRegistry } from '../registry/registry.js';
import { publish } from '../registry/publish.js';
import { planRelease } from '../registry/release.js';
import type { ArchiveFile, Prompt } from '../types.js';
import { TOOL_VERSION } from '../version.js';
import { evaluateTracked, failure, judgeModels, type Context, type Outcome } from './context.js';
import { prepare, storedBaseline } from './plan.js';

export async function runRelease(ctx: Context): Promise<Outcome> {
  const outcome = await releaseCurrentVersions(ctx);
  if (!ctx.opts.publishDir) return outcome;
  // Published even when the release was refused or failed: the bundle serves only archived
  // versions, and a rollback merged during a provider outage must still reach applications.
  try {
    const { sha } = await commitOf(ctx.opts.root);
    const result = await publish(ctx.headSrc, ctx.head.config, { outDir: ctx.opts.publishDir, commit: sha });
    return { ...outcome, published: { manifest: join(ctx.opts.publishDir, 'manifest.json'), artifacts: result.artifacts } };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    ctx.errors.add(err.message);
    return outcome;
  }
}

async function releaseCurrentVersions(ctx: Context): Promise<Outcome> {
  const { head, headSrc, opts } = ctx;
  const plan = planRelease(head, loadRegistry(headSrc, head.config), headSrc, opts.prompts ?? []);
  for (const p of plan.upToDate) opts.log?.(`${p.name} ${p.version} is already released`);
  if (plan.refusals.length || !plan.targets.length) return { prompts: [], lint: plan.refusals, released: [] };

  const commit = await commitOf(opts.root);
  const dirty = await uncommitted(
    opts.root,
    plan.targets.flatMap((p) => p.artifact.dependencies),
  );
  if (dirty.length) {
    throw new UserError(
      `Uncommitted changes in ${dirty.join(', ')}: an archive records the commit it was released from, so commit them first (or stash them).`,
    );
  }
  const scores = plan.targets.map((prompt) => {
    const stored = storedBaseline(ctx, headSrc, prompt, prompt);
    return { prompt, stored: stored.state === 'fresh' ? stored.file : undefined };
  });
  const toEvaluate = scores.filter((s) => !s.stored).map((s) => s.prompt);
  await prepare(
    ctx,
    toEvaluate.map((prompt) => ({ version: prompt, src: headSrc, suiteOf: prompt })),
  );
  const evaluated = await Promise.all(
    scores.map(async ({ prompt, stored }): Promise<{ report?: UnjudgedPromptReport; eval?: ArchiveFile['eval'] }> => {
      if (stored) return { eval: { suite_hash: stored.suite_hash, metrics: stored.metrics } };
      const affected: AffectedPrompt = { name: prompt.name, file: prompt.file, change: 'modified', head: prompt };
      const gateDefaults = head.config.gate;
      try {
        const result = await evaluateTracked(ctx, prompt, headSrc, prompt, 'candidate');
        const report = buildPromptReport({ affected, prompt, gateDefaults, candidate: result });
        const table = scoreTable(
          result,
          prompt.suite.metrics.map((m) => m.name),
        );
        return { report, ...(report.status !== 'error' && { eval: { suite_hash: prompt.artifact.suiteHash, metrics: table.metrics } }) };
      } catch (err) {
        return { report: buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) }) };
      }
    }),
  );
  // Release records scores; whether a version is good enough is the promotion gate's call.
  const prompts = evaluated.flatMap((e) => (e.report?.status === 'error' ? [e.report] : []));
  const outcome = { prompts, lint: [], judgeModels: judgeModels(toEvaluate) };
  if (evaluated.some((e) => !e.eval)) return { ...outcome, released: [] };

  const entries = await Promise.all(
    plan.targets.map(async (prompt, i) => ({
      path: archivePath(head.config, prompt.name, prompt.version),
      archive: await archiveOf(prompt, evaluated[i]!.eval!, commit, opts.root, opts.env['GITHUB_SERVER_URL']),
    })),
  );
  for (const { path, archive } of entries) await writeArchive(opts.root, path, archive);
  return { ...outcome, released: entries.map((e) => e.path).sort() };
}

async function archiveOf(
  prompt: Prompt,
  scores: ArchiveFile['eval'],
  commit: { sha: string; date: string },
  root: string,
  serverUrl: string | undefined,
): Promise<ArchiveFile> {
  const url = await permalink(root, commit.sha, prompt.file, serverUrl);
  return toArchive(prompt.artifact, {
    source: { path: prompt.file, commit: commit.sha, ...(url && { url }) },
    eval: scores,
    // The commit's time, not the clock's: every machine releasing this commit writes the same bytes.
    released_at: commit.date,
    tool_version: TOOL_VERSION,
  });
}
