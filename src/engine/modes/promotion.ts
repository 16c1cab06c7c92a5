// The promotion gate (SPEC 10.3): a change that moves production (a segment's production,
// or a canary's version) is evaluated like a prompt change: the target version against the
// version production runs now, both rendered from their archive entries, on the head suite,
// with the same statistics and verdict. A move back to a version released earlier is a
// rollback: never gated, no model call.
import { buildArtifact, type PromptSource } from '../artifact/artifact.js';
import { UserError } from '../errors.js';
import {
  buildPromptReport,
  notEvaluatedReport,
  rerunSide,
  storedSide,
  type BaselineSide,
  type UnjudgedPromptReport,
} from '../gate/prompt-report.js';
import type { AffectedPrompt } from '../git/graph.js';
import type { FileSource } from '../git/source.js';
import { ArchiveSource } from '../registry/archive.js';
import { releaseFindings, unevaluatedFinding } from '../registry/lint.js';
import { archived, loadRegistry, productionMoves, type ProductionMove, type Registry } from '../registry/registry.js';
import type { ArchiveFile, Finding, Project, Prompt } from '../types.js';
import { evaluateTracked, failure, type Context } from './context.js';
import { providersNeeded, storedBaseline, type PlannedEvaluation } from './plan.js';

/** A version as the gate renders it: a prompt value and the files its templates are read from. */
interface RenderedVersion {
  prompt: Prompt;
  src: FileSource;
}

export interface Promotion {
  move: ProductionMove;
  /** The head's prompt of that name: its suite is the one both versions run on. */
  suiteOf: Prompt;
  target: RenderedVersion;
  production?: RenderedVersion;
}

export interface PromotionPlan {
  /** Release lint (SPEC 10.3) and release-unevaluated for moves that cannot be evaluated. */
  findings: Finding[];
  promotions: Promotion[];
  /** Rollbacks, reported as passed: never gated, no model call. */
  rollbacks: UnjudgedPromptReport[];
  /** What the promotions will evaluate, for the run's estimate. */
  evaluations: PlannedEvaluation[];
  manifestFile: string;
}

export interface Side {
  project: Project;
  src: FileSource;
}

/**
 * Reads both sides' registries, lints them, and plans each production move of the change.
 * `touched`: files the change touched; release findings elsewhere belong to other changes.
 * `canEvaluate` false (mode lint): every promotion is a release-unevaluated finding.
 */
export function planPromotions(
  ctx: Context,
  head: Side,
  base: Side | undefined,
  opts: { touched?: Set<string>; canEvaluate: boolean },
): PromotionPlan {
  const config = head.project.config;
  const headRegistry = loadRegistry(head.src, config);
  const baseRegistry = base && loadRegistry(base.src, base.project.config);
  const lint = releaseFindings({
    registry: headRegistry,
    prompts: [...head.project.prompts, ...head.project.lintOnly],
    src: head.src,
    config,
    ...(base && baseRegistry && { base: { registry: baseRegistry, src: base.src } }),
  });
  const plan: PromotionPlan = {
    findings: opts.touched ? lint.filter((f) => opts.touched!.has(f.file)) : lint,
    promotions: [],
    rollbacks: [],
    evaluations: [],
    manifestFile: config.releases,
  };
  if (!base || !headRegistry.manifest || (opts.touched && !opts.touched.has(config.releases))) return plan;
  const moves = productionMoves(baseRegistry?.manifest?.manifest ?? {}, headRegistry.manifest.manifest, headRegistry);
  for (const move of moves) {
    if (move.rollback) {
      plan.rollbacks.push(rollbackReport(move, config.releases, headRegistry));
      continue;
    }
    if (!opts.canEvaluate) {
      plan.findings.push(
        unevaluatedFinding(headRegistry, move, 'mode lint makes no model call; open a pull request so the gate evaluates it'),
      );
      continue;
    }
    const planned = planOne(ctx, move, head, base, headRegistry);
    if ('problem' in planned) plan.findings.push(unevaluatedFinding(headRegistry, move, planned.problem));
    else {
      plan.promotions.push(planned);
      plan.evaluations.push(...evaluationsOf(ctx, planned));
    }
  }
  return plan;
}

function planOne(ctx: Context, move: ProductionMove, head: Side, base: Side, registry: Registry): Promotion | { problem: string } {
  const suiteOf = head.project.prompts.find((p) => p.name === move.name);
  if (!suiteOf)
    return {
      problem: `there is no prompt ${move.name} with a sound suite at the head to evaluate it on; restore its prompt file and suite`,
    };
  const target = versionOf(move.to, move.name, suiteOf, head, base, registry);
  if (!target)
    return { problem: `${move.to} cannot be rendered: it is neither archived nor the prompt's current version; run promptgate release` };
  const production = move.from === undefined ? undefined : versionOf(move.from, move.name, suiteOf, head, base, registry);
  if (move.from !== undefined && !production) {
    return {
      problem: `production's version ${move.from} cannot be rendered: it is not archived; release it (or restore its archive file)`,
    };
  }
  const promotion: Promotion = { move, suiteOf, target, ...(production && { production }) };
  try {
    const providers = [...providersNeeded(evaluationsOf(ctx, promotion))];
    ctx.runner.assertReady(providers);
    const missing = ctx.runner.missingKeys(providers);
    if (missing.length) {
      const keys = missing.map((m) => `${m.env} (provider ${m.provider})`).join(', ');
      return { problem: `the promotion cannot be evaluated without an API key: set ${keys}` };
    }
  } catch (err) {
    if (err instanceof UserError) return { problem: err.message };
    throw err;
  }
  return promotion;
}

/** A released version from its archive entry, else the prompt's current version at head (or at the base, for production). */
function versionOf(
  version: string,
  name: string,
  suiteOf: Prompt,
  head: Side,
  base: Side,
  registry: Registry,
): RenderedVersion | undefined {
  const entry = archived(registry, name, version);
  if (entry) return fromArchive(entry.archive, suiteOf);
  const current = head.project.prompts.find((p) => p.name === name && p.version === version);
  if (current) return { prompt: current, src: head.src };
  const before = base.project.prompts.find((p) => p.name === name && p.version === version);
  return before && { prompt: before, src: base.src };
}

/** An archived version as a prompt the evaluator runs: its own messages, templates and model, the head's suite. */
export function fromArchive(archive: ArchiveFile, suiteOf: Prompt): RenderedVersion {
  const src = new ArchiveSource(archive);
  const { provider, name, ...params } = archive.model;
  const source: PromptSource = {
    file: archive.source.path,
    name: archive.name,
    version: archive.version,
    model: { provider, name, params },
    messages: archive.messages.map(({ role, content }) => ({ role, content })),
    lines: {},
    suite: suiteOf.suite,
    ...(suiteOf.suiteFile && { suiteFile: suiteOf.suiteFile }),
  };
  // The suite is the head's: its identity comes from there, not from the archive.
  return { prompt: { ...source, artifact: buildArtifact(source, src, suiteOf.artifact) }, src };
}

function evaluationsOf(ctx: Context, p: Promotion): PlannedEvaluation[] {
  const production = p.production && productionSide(ctx, p);
  return [
    { version: p.target.prompt, src: p.target.src, suiteOf: p.suiteOf },
    ...(p.production && production?.source !== 'stored'
      ? [{ version: p.production.prompt, src: p.production.src, suiteOf: p.suiteOf }]
      : []),
  ];
}

/** Production's scores: the head's stored baseline when it was made for exactly that version and suite, else a rerun. */
function productionSide(ctx: Context, p: Promotion): { source: 'stored'; side: BaselineSide } | { source: 'rerun' } {
  const stored = storedBaseline(ctx, ctx.headSrc, p.production!.prompt, p.suiteOf);
  if (stored.state !== 'fresh') return { source: 'rerun' };
  return { source: 'stored', side: storedSide(stored.file) };
}

export async function evaluatePromotion(ctx: Context, p: Promotion, manifestFile: string): Promise<UnjudgedPromptReport> {
  const affected: AffectedPrompt = {
    name: p.move.name,
    file: manifestFile,
    change: 'promotion',
    head: p.target.prompt,
    ...(p.production && { base: p.production.prompt }),
  };
  const gateDefaults = ctx.head.config.gate;
  const pointer = pointerOf(p.move);
  try {
    const production = p.production && productionSide(ctx, p);
    const [candidate, rerun] = await Promise.all([
      evaluateTracked(ctx, p.target.prompt, p.target.src, p.suiteOf, 'candidate'),
      p.production && production?.source === 'rerun'
        ? evaluateTracked(ctx, p.production.prompt, p.production.src, p.suiteOf, 'baseline')
        : undefined,
    ]);
    const baseline = production?.source === 'stored' ? production.side : rerun ? rerunSide(rerun, p.suiteOf) : undefined;
    const report = buildPromptReport({
      affected,
      prompt: { ...p.target.prompt, suite: p.suiteOf.suite },
      gateDefaults,
      candidate,
      ...(baseline && { baseline }),
    });
    return { ...report, file: manifestFile, pointer };
  } catch (err) {
    const report = buildPromptReport({ affected, prompt: p.target.prompt, gateDefaults, error: failure(ctx, err) });
    return { ...report, file: manifestFile, pointer };
  }
}

function rollbackReport(move: ProductionMove, manifestFile: string, registry: Registry): UnjudgedPromptReport {
  const described = archived(registry, move.name, move.to);
  const affected: AffectedPrompt = { name: move.name, file: manifestFile, change: 'rollback' };
  const report = notEvaluatedReport(affected, { status: 'pass', version: { base: move.from ?? null, head: move.to } });
  return { ...report, model: described ? described.archive.model.name : report.model, pointer: pointerOf(move) };
}

function pointerOf(move: ProductionMove): UnjudgedPromptReport['pointer'] {
  return { label: move.kind === 'canary' ? 'canary' : 'production', ...(move.segment && { segment: move.segment }) };
}
