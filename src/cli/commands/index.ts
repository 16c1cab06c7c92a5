import type { Command } from '../command.js';
import { baselineCommand } from './baseline.js';
import { canaryAbortCommand, canaryCheckCommand, canaryStartCommand } from './canary.js';
import { dashboardCommand } from './dashboard.js';
import { driftCommand } from './drift.js';
import { evalCommand } from './eval.js';
import { helpCommand } from './help.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';
import { mergeCommand } from './merge.js';
import { promoteCommand } from './promote.js';
import { publishCommand } from './publish.js';
import { releaseCommand } from './release.js';
import { rollbackCommand } from './rollback.js';

/**
 * Every command, in the order `promptgate help` lists them. To add one: write
 * commands/<name>.ts with defineCommand (its options, summary, help and run) and list it here.
 * A subcommand is named with two words ("canary start"); help groups it under the first.
 */
export const COMMANDS: readonly Command[] = [
  initCommand,
  evalCommand,
  lintCommand,
  baselineCommand,
  driftCommand,
  mergeCommand,
  releaseCommand,
  promoteCommand,
  rollbackCommand,
  publishCommand,
  canaryStartCommand,
  canaryAbortCommand,
  canaryCheckCommand,
  dashboardCommand,
  helpCommand,
];
