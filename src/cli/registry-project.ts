import { UserError, formatLocation } from '../engine/errors.js';
import { loadProject } from '../engine/files/project.js';
import { WorkTree } from '../engine/git/source.js';
import type { Project } from '../engine/types.js';

/**
 * The working tree's project for promote, rollback and publish; a broken config is a
 * configuration error (exit 2). They need prompts' names and versions, never their cases.
 */
export function registryProject(cwd: string, configPath: string | undefined): { src: WorkTree; project: Project } {
  const src = new WorkTree(cwd);
  const project = loadProject(src, { configPath, datasetCases: false });
  const broken = project.findings.filter((f) => f.file === project.config.file && f.severity === 'error');
  if (broken.length) throw new UserError(broken.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n'), broken[0]);
  return { src, project };
}
