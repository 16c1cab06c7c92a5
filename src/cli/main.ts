import { UserError } from '../engine/errors.js';
import { BUGS_URL, TOOL_VERSION } from '../engine/version.js';
import { EXIT, UsageError, type CliIo } from './command.js';
import { COMMANDS } from './commands/index.js';
import { commandHelp, generalHelp } from './help.js';
import { parseCommandLine } from './parse.js';

export { EXIT } from './command.js';

/** The whole CLI; returns the exit code. `env` carries API keys and base URLs. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<number> {
  const debug = argv.includes('--debug');
  const io: CliIo = { cwd, env, stdout: process.stdout, stderr: process.stderr };
  try {
    const parsed = parseCommandLine(argv, COMMANDS);
    switch (parsed.kind) {
      case 'version':
        io.stdout.write(`${TOOL_VERSION}\n`);
        return EXIT.pass;
      case 'help':
        io.stdout.write(`${parsed.command ? commandHelp(parsed.command) : generalHelp(COMMANDS)}\n`);
        return EXIT.pass;
      case 'run':
        return await parsed.command.run({ values: parsed.values, args: parsed.args }, io);
    }
  } catch (err) {
    io.stderr.write(`promptgate: ${describe(err, debug)}\n`);
    return EXIT.usage;
  }
}

function describe(err: unknown, debug: boolean): string {
  if (err instanceof UsageError) {
    const help = err.command ? `promptgate help ${err.command}` : 'promptgate help';
    return `${err.message} See "${help}".`;
  }
  if (err instanceof UserError) return err.message;
  return (
    `internal error: ${(err as Error)?.message ?? err}. This is a bug in promptgate: please report it at ${BUGS_URL} with the command you ran` +
    `${debug ? '' : ' (--debug prints the stack trace)'}.${debug ? `\n${(err as Error)?.stack}` : ''}`
  );
}
