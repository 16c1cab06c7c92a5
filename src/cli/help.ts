import { TOOL_VERSION } from '../engine/version.js';
import type { Command, OptionSpecs } from './command.js';
import { GLOBAL_OPTIONS, subcommands, topLevel } from './parse.js';

export const EXIT_CODES = `Exit codes:
  0  passed (or done)
  1  the gate failed: a metric regressed or fell below its min, a prompt errored
     beyond max_error_rate, or lint found an error. A broken suite or prompt file
     is a lint finding, reported beside the other prompts' results.
  2  usage or configuration error, nothing evaluated: a bad option, an unknown
     --prompt, a broken promptgate.yaml (its findings are still printed and written
     to --json), prompt globs that match no file, not a git repository or no
     commits yet.`;

/** `promptgate help`: every command with its summary. */
export function generalHelp(commands: readonly Command[]): string {
  const rows = topLevel(commands).map((word) => {
    const own = commands.find((c) => c.name === word);
    const summary = own?.summary ?? `${subcommands(commands, word).join(', ')}: see promptgate help ${word}`;
    return [word, summary] as const;
  });
  return [
    `promptgate ${TOOL_VERSION}: versioned, tested, deployable prompts.`,
    '',
    'Usage: promptgate <command> [options]',
    '',
    'Commands:',
    ...table(rows),
    '',
    'Options for every command:',
    ...optionRows(GLOBAL_OPTIONS),
    '',
    'Run "promptgate help COMMAND" (or "promptgate COMMAND --help") for its options.',
    '',
    EXIT_CODES,
  ].join('\n');
}

/** `promptgate help canary`: the subcommands of a group. */
export function groupHelp(commands: readonly Command[], group: string): string {
  const members = commands.filter((c) => c.name.startsWith(`${group} `));
  return [
    `Usage: promptgate ${group} <${subcommands(commands, group).join('|')}> [options]`,
    '',
    'Commands:',
    ...table(members.map((c) => [c.name, c.summary] as const)),
    '',
    `Run "promptgate help ${group} COMMAND" for its options.`,
  ].join('\n');
}

/** `promptgate help eval` / `promptgate eval --help`: that command's options only. */
export function commandHelp(command: Command): string {
  const args = (command.args ?? []).map((a) => {
    const name = a.variadic ? `${a.name}...` : a.name;
    return a.required ? name : `[${name}]`;
  });
  const hasOptions = Object.keys(command.options).length > 0;
  return [
    `Usage: promptgate ${[command.name, ...args, ...(hasOptions ? ['[options]'] : [])].join(' ')}`,
    '',
    command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + '.',
    ...(command.description ? ['', command.description] : []),
    '',
    'Options:',
    ...optionRows({ ...command.options, help: GLOBAL_OPTIONS.help }),
    ...(command.notes ? ['', command.notes] : []),
    '',
    'Exit codes: 0 pass, 1 the gate failed, 2 usage or configuration error (promptgate help: details).',
  ].join('\n');
}

function optionRows(options: OptionSpecs): string[] {
  return table(
    Object.entries(options).map(([name, spec]) => {
      const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
      return [flag, spec.description + (spec.multiple ? ' (repeatable)' : '')] as const;
    }),
  );
}

function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
