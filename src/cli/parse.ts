import { parseArgs } from 'node:util';
import { UsageError, type ArgSpec, type Command, type OptionSpecs, type OptionValues } from './command.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h', description: "show this command's help" },
  version: { type: 'boolean', description: "print promptgate's version" },
  debug: { type: 'boolean', description: 'print stack traces of internal errors' },
} as const satisfies OptionSpecs;

export type Parsed =
  | { kind: 'help'; command?: Command }
  | { kind: 'version' }
  | { kind: 'run'; command: Command; values: OptionValues<OptionSpecs>; args: string[] };

/**
 * Finds the command (the first word after any global flags; two words for a subcommand),
 * then reads that command's options only. Wording is ours, one line each: node's own
 * messages are long and quote oddly.
 */
export function parseCommandLine(argv: string[], commands: readonly Command[]): Parsed {
  let at = 0;
  while (at < argv.length && isGlobalFlag(argv[at]!)) at++;
  const word = argv[at];
  const globals = argv.slice(0, at);
  if (word === undefined) {
    if (globals.some((a) => a === '--version')) return { kind: 'version' };
    if (globals.some((a) => a === '--help' || a === '-h')) return { kind: 'help' };
    throw new UsageError('Name a command.');
  }
  if (word.startsWith('-')) throw new UsageError(`Unknown option ${optionName(word)}: name a command first.`);
  const pair = `${word} ${argv[at + 1] ?? ''}`;
  const command = commands.find((c) => c.name === pair) ?? commands.find((c) => c.name === word);
  if (!command) {
    if (commands.some((c) => c.name.startsWith(`${word} `))) {
      const sub = argv[at + 1];
      const expected = `expected one of ${subcommands(commands, word).join(', ')}`;
      if (sub === undefined || sub.startsWith('-')) throw new UsageError(`${word} needs a command: ${expected}.`, word);
      throw new UsageError(`Unknown command "${word} ${sub}": ${expected}.`, word);
    }
    throw new UsageError(`Unknown command "${word}": expected one of ${topLevel(commands).join(', ')}.`);
  }
  const rest = [...globals, ...argv.slice(at + command.name.split(' ').length)];
  const { values, args } = parseOptions(command, rest);
  if (values.help) return { kind: 'help', command };
  if (values.version) return { kind: 'version' };
  checkArgs(command, args);
  return { kind: 'run', command, values, args };
}

function parseOptions(command: Command, argv: string[]): { values: OptionValues<OptionSpecs>; args: string[] } {
  const specs: OptionSpecs = { ...command.options, ...GLOBAL_OPTIONS };
  const { tokens } = parseArgs({ args: argv, options: specs, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | string[] | boolean> = {};
  const args: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') args.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = specs[token.name];
    if (!spec) throw new UsageError(`Unknown option ${token.rawName} for ${command.name}.`, command.name);
    const flag = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value.`, command.name);
      values[token.name] = true;
      continue;
    }
    // `--base --all`: a forgotten value, not a ref named "--all".
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))
      throw new UsageError(`${flag} needs a value (${spec.value ?? 'VALUE'}).`, command.name);
    if (spec.multiple) values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
    else if (values[token.name] !== undefined) throw new UsageError(`${flag} is given twice.`, command.name);
    else values[token.name] = token.value;
  }
  return { values: values as OptionValues<OptionSpecs>, args };
}

function checkArgs(command: Command, args: string[]): void {
  const specs: ArgSpec[] = command.args ?? [];
  const missing = specs.slice(args.length).find((a) => a.required);
  if (missing) throw new UsageError(`${command.name} needs ${missing.name}.`, command.name);
  const variadic = specs.some((a) => a.variadic);
  if (!variadic && args.length > specs.length) {
    const extra = args[specs.length]!;
    throw new UsageError(`Unexpected argument "${extra}" for ${command.name}.`, command.name);
  }
}

function isGlobalFlag(arg: string): boolean {
  return arg === '-h' || arg === '--help' || arg === '--version' || arg === '--debug';
}

function optionName(arg: string): string {
  return arg.split('=')[0]!;
}

export function topLevel(commands: readonly Command[]): string[] {
  return [...new Set(commands.map((c) => c.name.split(' ')[0]!))];
}

export function subcommands(commands: readonly Command[], group: string): string[] {
  return commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
}
