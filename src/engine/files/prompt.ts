import { withArtifact, type PromptSource } from '../artifact/artifact.js';
import type { MessageTemplate, Prompt, Suite } from '../types.js';
import type { LoadContext, Loaded } from './context.js';
import { finding, hasErrors, invalid } from './finding.js';
import { validate } from './issues.js';
import { modelRef } from './model.js';
import { MAX_FILE_BYTES, readStructured } from './read.js';
import { follow } from './refs.js';
import { promptSchema } from './schemas.js';
import { buildSuite, loadSuiteFile } from './suite.js';

/** SPEC 1.2: a prompt file with its suite; the value is undefined when anything it needs is broken. */
export function loadPrompt(ctx: LoadContext, file: string): Loaded<Prompt> & { lintOnly?: Prompt } {
  const read = readStructured(ctx.src, file, MAX_FILE_BYTES);
  if (read.missing) return { findings: [invalid({ file }, `prompt file ${file} not found`)] };
  const parsed = read.value;
  if (!parsed) return { findings: read.findings };

  const { data, findings } = validate(promptSchema, parsed, parsed.value);
  if (!data) return { findings };

  const lines = Object.fromEntries(Object.keys(data).map((key) => [key, parsed.keyPosition([], key).line]));
  const model = modelRef(ctx.config, parsed, ['model'], data.model, findings);

  let messages: MessageTemplate[] = [];
  if (data.messages && data.template !== undefined) {
    findings.push(
      parsed.findingAt(['template'], 'a prompt takes either messages or template (short for one user message), not both; remove one'),
    );
  } else if (data.template !== undefined) {
    messages = [{ role: 'user', content: data.template, line: parsed.textLine(['template']) }];
  } else if (data.messages) {
    messages = data.messages.map((m, i) => ({ ...m, line: parsed.textLine(['messages', i, 'content']) }));
  } else {
    findings.push(parsed.findingAt([], 'no messages; add messages: [{role, content}, ...] or template: "..."'));
  }

  let suite: Loaded<Suite> & { path?: string };
  if (typeof data.eval === 'string') {
    suite = follow(ctx, parsed, ['eval'], data.eval, 'suite', (path) => loadSuiteFile(ctx, path));
  } else {
    suite = buildSuite(ctx, parsed, data.eval, ['eval']);
  }

  const ownFindings = findings.length;
  findings.push(...suite.findings);

  if (hasErrors(findings.slice(0, ownFindings))) return { findings };
  const first = ctx.claimName(data.name, file, lines.name!);
  if (first) {
    const message = `name "${data.name}" is already used by ${first.file} (line ${first.line}); prompt names must be unique, rename one`;
    return { findings: [...findings, finding('duplicate-name', { file, ...parsed.position(['name']), key: 'name' }, message)] };
  }
  const source: PromptSource = {
    file,
    name: data.name,
    // YAML reads `version: 1.0` as the number 1; keep the text as written.
    version: typeof data.version === 'number' ? (parsed.plainSource(['version']) ?? String(data.version)) : data.version,
    ...(data.description !== undefined && { description: data.description }),
    model,
    messages,
    lines,
    ...(suite.path && { suiteFile: suite.path }),
    suite: suite.value ?? { file: suite.path ?? file, repeat: 1, cases: [], metrics: [], gate: {} },
  };
  const prompt = withArtifact(source, ctx.src);
  // The prompt itself is sound but its suite is not: lint it, never evaluate it.
  return hasErrors(suite.findings) || !suite.value ? { findings, lintOnly: prompt } : { value: prompt, findings };
}
