import semver from 'semver';
import { canonicalJson } from '../artifact/hash.js';
import type { FileSource } from '../git/source.js';
import { includedFiles, promptHash } from '../artifact/template.js';
import type { Finding, Location, Prompt } from '../types.js';
import type { LintInput } from './index.js';

/** version-invalid and version-not-bumped: a version is semver, only goes up, and goes up whenever the artifact changes. */
export function versionFindings({ prompt, headSrc, base, baseSrc }: LintInput): Finding[] {
  const at: Location = { file: prompt.file, line: prompt.lines.version };
  const head = prompt.version;
  const subject = `version ${JSON.stringify(head)}`;
  if (!semver.valid(head)) {
    const example = semver.coerce(head)?.version ?? '1.0.0';
    return [finding('version-invalid', at, `${subject} is not semver: write MAJOR.MINOR.PATCH, e.g. ${example}`)];
  }
  if (!base || !baseSrc || !semver.valid(base.version)) return [];
  if (semver.lt(head, base.version)) {
    const next = semver.inc(base.version, 'patch');
    return [
      finding(
        'version-invalid',
        at,
        `${subject} is lower than the base version ${base.version}: versions only go up; use ${next} or higher`,
      ),
    ];
  }
  if (semver.gt(head, base.version) || promptHash(prompt, headSrc) === promptHash(base, baseSrc)) return [];
  const changed = changedParts(prompt, headSrc, base, baseSrc);
  return [
    finding(
      'version-not-bumped',
      at,
      `prompt "${prompt.name}" changed since the base (${changed.length > 0 ? changed.join(', ') : 'its artifact'}) but ${subject} is unchanged: ` +
        `bump it, e.g. to ${semver.inc(head, 'patch')} (patch) or ${semver.inc(head, 'minor')} (minor)`,
    ),
  ];
}

function finding(rule: 'version-invalid' | 'version-not-bumped', at: Location, message: string): Finding {
  return { rule, severity: 'error', ...at, message };
}

/** What differs between the two artifacts, in words: messages, included files by path, the model. */
function changedParts(head: Prompt, headSrc: FileSource, base: Prompt, baseSrc: FileSource): string[] {
  const parts: string[] = [];
  const messages = (p: Prompt) => canonicalJson(p.messages.map(({ role, content }) => ({ role, content })));
  if (messages(head) !== messages(base)) parts.push('messages');
  const includes = new Set([...includedFiles(head, headSrc).files, ...includedFiles(base, baseSrc).files]);
  for (const file of [...includes].sort()) {
    if (headSrc.read(file) !== baseSrc.read(file)) parts.push(`included file ${file}`);
  }
  if (head.model.provider !== base.model.provider || head.model.name !== base.model.name) {
    parts.push(`model ${base.model.provider}/${base.model.name} -> ${head.model.provider}/${head.model.name}`);
  } else if (canonicalJson(head.model.params) !== canonicalJson(base.model.params)) {
    parts.push('model parameters');
  }
  return parts;
}
