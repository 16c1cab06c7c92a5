import { defineCommand, EXIT, UsageError } from '../command.js';
import { commandHelp, generalHelp, groupHelp } from '../help.js';
import { COMMANDS } from './index.js';

export const helpCommand = defineCommand({
  name: 'help',
  summary: 'show help: every command, or one command and its options',
  description: '',
  args: [{ name: 'COMMAND', variadic: true }],
  options: {},
  async run({ args }, io) {
    io.stdout.write(`${helpText(args)}\n`);
    return EXIT.pass;
  },
});

function helpText(words: string[]): string {
  if (!words.length) return generalHelp(COMMANDS);
  const name = words.join(' ');
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return commandHelp(command);
  if (words.length === 1 && COMMANDS.some((c) => c.name.startsWith(`${name} `))) return groupHelp(COMMANDS, name);
  throw new UsageError(`No command "${name}".`);
}
