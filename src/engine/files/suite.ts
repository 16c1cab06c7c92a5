import type { CaseList, Finding, GateRule, Metric, Suite } from '../types.js';
import type { LoadContext, Loaded } from './context.js';
import { DATASET_EXTENSIONS, casesFromList, loadDataset } from './dataset.js';
import { hasErrors } from './finding.js';
import { validate } from './issues.js';
import { modelRef } from './model.js';
import type { KeyPath, StructuredFile } from './parse.js';
import { MAX_FILE_BYTES, fileExists, readStructured } from './read.js';
import { follow } from './refs.js';
import { MAX_SAMPLES_PER_SUITE, suiteSchema, type MetricInput } from './schemas.js';

/** Always reported (SPEC 1.3), so a metric may not take their names. Of these only error_rate is gated. */
export const REPORTED_METRICS = ['latency_p50_ms', 'latency_p95_ms', 'cost_usd', 'input_tokens', 'output_tokens', 'error_rate'];

/**
 * A suite's gate names its own metrics (max_drop, alpha, min) and error_rate (max_error_rate,
 * the prompt's share of failed samples). Every rule that would be ignored is a finding.
 */
function checkGate(parsed: StructuredFile, metrics: Metric[], gate: Record<string, GateRule>, prefix: KeyPath, findings: Finding[]): void {
  const names = metrics.map((m) => m.name);
  for (const [name, rule] of Object.entries(gate)) {
    const at = [...prefix, 'gate', name];
    const problem =
      name === 'error_rate'
        ? Object.keys(rule).some((k) => k !== 'max_error_rate') &&
          'gate.error_rate takes only max_error_rate (the share of samples allowed to fail)'
        : REPORTED_METRICS.includes(name)
          ? `"${name}" is reported, not gated: promptgate gates the suite's metrics and error_rate; remove this rule`
          : !names.includes(name)
            ? `unknown metric "${name}"; expected one of ${[...names, 'error_rate'].join(', ')}; fix the name or add the metric`
            : rule.max_error_rate !== undefined && 'max_error_rate is per prompt, not per metric: move it to gate.error_rate';
    if (problem) findings.push(parsed.findingAt(at, problem, parsed.keyPosition([...prefix, 'gate'], name)));
  }
}

/** A suite file named by a prompt's `eval:` (repo-relative path). */
export function loadSuiteFile(ctx: LoadContext, file: string): Loaded<Suite> {
  const read = readStructured(ctx.src, file, MAX_FILE_BYTES);
  if (!read.value) return { findings: read.findings, missing: read.missing };
  return buildSuite(ctx, read.value, read.value.value, []);
}

/** A suite written at `prefix` of `parsed`: a suite file's root, or a prompt's inline `eval:`. */
export function buildSuite(ctx: LoadContext, parsed: StructuredFile, value: unknown, prefix: KeyPath): Loaded<Suite> {
  const { data, findings } = validate(suiteSchema, parsed, value, prefix);
  if (!data) return { findings };

  const metrics = data.metrics.map((input, i) => buildMetric(ctx, parsed, input, [...prefix, 'metrics', i], findings));
  checkMetricNames(parsed, metrics, prefix, findings);

  checkGate(parsed, metrics, data.gate ?? {}, prefix, findings);

  let cases: CaseList = [];
  let dataset: string | undefined;
  if (data.dataset !== undefined && data.cases !== undefined) {
    findings.push(parsed.findingAt([...prefix, 'cases'], 'a suite takes either dataset or cases, not both; remove one'));
  } else if (data.cases !== undefined) {
    const loaded = casesFromList(parsed, data.cases, [...prefix, 'cases']);
    findings.push(...loaded.findings);
    cases = loaded.value ?? [];
  } else if (data.dataset !== undefined && !ctx.datasetCases) {
    // Loaded for names, versions and models only: the cases are left unread.
  } else if (data.dataset !== undefined) {
    const loaded = datasetCases(ctx, parsed, data.dataset, [...prefix, 'dataset']);
    findings.push(...loaded.findings);
    cases = loaded.value ?? [];
    dataset = loaded.path;
  } else {
    findings.push(parsed.findingAt(prefix, 'no cases; add dataset: <path relative to this file> or cases: [...]'));
  }

  const repeat = data.repeat ?? 1;
  if (cases.length * repeat > MAX_SAMPLES_PER_SUITE) {
    const samples = `${cases.length.toLocaleString('en-US')} cases x repeat ${repeat} = ${(cases.length * repeat).toLocaleString('en-US')} samples`;
    findings.push(
      parsed.findingAt(
        data.repeat === undefined ? [...prefix, data.dataset === undefined ? 'cases' : 'dataset'] : [...prefix, 'repeat'],
        `${samples}, over the maximum of ${MAX_SAMPLES_PER_SUITE.toLocaleString('en-US')} per suite; lower repeat or split the cases into several suites`,
      ),
    );
  }

  if (hasErrors(findings)) return { findings };
  return {
    value: { file: parsed.file, ...(dataset && { dataset }), repeat, cases, metrics, gate: data.gate ?? {} },
    findings,
  };
}

function datasetCases(ctx: LoadContext, parsed: StructuredFile, ref: string, keyPath: KeyPath): Loaded<CaseList> & { path?: string } {
  if (!DATASET_EXTENSIONS.some((ext) => ref.toLowerCase().endsWith(ext))) {
    return {
      findings: [parsed.findingAt(keyPath, `"${ref}" is not a dataset file; expected a ${DATASET_EXTENSIONS.join(', ')} file`)],
    };
  }
  return follow(ctx, parsed, keyPath, ref, 'dataset', (path) => loadDataset(ctx.src, path, ctx.datasets));
}

function buildMetric(ctx: LoadContext, parsed: StructuredFile, input: MetricInput, path: KeyPath, findings: Finding[]): Metric {
  const metric: Metric = { name: input.name, type: input.type, line: parsed.position(path).line };
  switch (input.type) {
    case 'json-schema': {
      const schema = follow(ctx, parsed, [...path, 'schema'], input.schema, 'schema', (file) => loadJsonSchema(ctx, file));
      findings.push(...schema.findings);
      return { ...metric, schema: schema.path };
    }
    case 'script': {
      const script = follow(ctx, parsed, [...path, 'path'], input.path, 'script', (file) =>
        fileExists(ctx.src, file) ? { value: file, findings: [] } : { missing: true, findings: [] },
      );
      findings.push(...script.findings);
      return {
        ...metric,
        path: script.path,
        ...(input.timeout_ms !== undefined && { timeout_ms: input.timeout_ms }),
        ...(input.memory_mb !== undefined && { memory_mb: input.memory_mb }),
      };
    }
    case 'llm-judge':
      return { ...metric, model: modelRef(ctx.config, parsed, [...path, 'model'], input.model, findings), rubric: input.rubric };
    default:
      return 'value' in input ? { ...metric, value: input.value } : metric;
  }
}

function checkMetricNames(parsed: StructuredFile, metrics: Metric[], prefix: KeyPath, findings: Finding[]): void {
  const firstLine = new Map<string, number | undefined>();
  metrics.forEach((metric, i) => {
    const path = [...prefix, 'metrics', i, 'name'];
    if (firstLine.has(metric.name)) {
      findings.push(
        parsed.findingAt(path, `duplicate metric name "${metric.name}", first used at line ${firstLine.get(metric.name)}; rename one`),
      );
    } else if (REPORTED_METRICS.includes(metric.name)) {
      findings.push(parsed.findingAt(path, `"${metric.name}" is a metric promptgate always reports; choose another name`));
    }
    firstLine.set(metric.name, metric.line);
  });
}

/** A JSON schema file must parse and hold a schema (an object or a boolean); compiling it is the scorer's job. */
function loadJsonSchema(ctx: LoadContext, file: string): Loaded<string> {
  const read = readStructured(ctx.src, file, MAX_FILE_BYTES);
  if (!read.value) return { findings: read.findings, missing: read.missing };
  const schema = read.value.value;
  if (typeof schema === 'boolean' || (schema !== null && typeof schema === 'object' && !Array.isArray(schema))) {
    return { value: file, findings: [] };
  }
  return { findings: [read.value.findingAt([], 'expected a JSON schema (an object such as {"type": "object"}); fix the file')] };
}
