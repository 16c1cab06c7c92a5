import { UserError } from '../engine/errors.js';

/** One option of a command, as `--name VALUE` (string) or `--name` (boolean). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Repeatable: the values arrive as a list. */
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in help, e.g. REF. */
  value?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** What the parser gives a command: each declared option typed by its spec. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
};

/** A positional argument, e.g. NAME; `variadic` takes the rest (NAME...). */
export interface ArgSpec {
  name: string;
  required?: boolean;
  variadic?: boolean;
}

/** Where a command reads and writes; tests pass their own directory and environment. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  /** One word, or two for a subcommand ("canary start"). */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Paragraphs shown by `promptgate help NAME`, after the usage line. */
  description: string;
  args?: ArgSpec[];
  options: O;
  /** Extra help sections after the options (statuses, examples), already worded. */
  notes?: string;
  /** Returns the exit code. Usage problems throw UsageError, user-fixable ones UserError. */
  run(input: { values: OptionValues<O>; args: string[] }, io: CliIo): Promise<number>;
}

/** Declares a command with its options' value types inferred for `run`. */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command<O> {
  return command;
}

/** A malformed command line: worded as one line that points at the command's help. */
export class UsageError extends UserError {
  constructor(
    message: string,
    /** The command whose help explains it; undefined: the general help. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;
