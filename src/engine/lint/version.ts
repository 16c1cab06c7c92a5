import semver from 'semver';
import { canonicalJson } from '../artifact/hash.js';
import type { Finding, Location, PromptArtifact } from '../types.js';
import type { LintInput } from './index.js';

/** version-invalid and version-not-bumped: a version is semver, only goes up, and goes up whenever the artifact changes. */
export function versionFindings({ prompt, base }: LintInput): Finding[] {
  const at: Location = { file: prompt.file, line: prompt.lines.version };
  const head = prompt.version;
  const subject = `version ${JSON.stringify(head)}`;
  if (!semver.valid(head)) {
    const example = semver.coerce(head)?.version ?? '1.0.0';
    return [finding('version-invalid', at, `${subject} is not semver: write MAJOR.MINOR.PATCH, e.g. ${example}`)];
  }
  if (!base || !semver.valid(base.version)) return [];
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
  if (semver.gt(head, base.version) || prompt.artifact.hash === base.artifact.hash) return [];
  const changed = changedParts(prompt.artifact, base.artifact);
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
function changedParts(head: PromptArtifact, base: PromptArtifact): string[] {
  const parts: string[] = [];
  if (canonicalJson(head.messages) !== canonicalJson(base.messages)) parts.push('messages');
  const includes = new Set([...Object.keys(head.templates), ...Object.keys(base.templates)]);
  for (const file of [...includes].sort()) {
    if (head.templates[file] !== base.templates[file]) parts.push(`included file ${file}`);
  }
  if (head.model.provider !== base.model.provider || head.model.name !== base.model.name) {
    parts.push(`model ${base.model.provider}/${base.model.name} -> ${head.model.provider}/${head.model.name}`);
  } else if (canonicalJson(head.model.params) !== canonicalJson(base.model.params)) {
    parts.push('model parameters');
  }
  return parts;
}
