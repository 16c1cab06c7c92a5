import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defineCommand, EXIT } from '../command.js';
import { CONFIG, DATASET, EXAMPLE_PROMPT, GITIGNORE_LINES, PROMPT, SUITE, WORKFLOW } from '../init/files.js';

const FILES: ReadonlyArray<readonly [string, string]> = [
  ['promptgate.yaml', CONFIG],
  [`prompts/${EXAMPLE_PROMPT}.prompt.yaml`, PROMPT],
  [`evals/${EXAMPLE_PROMPT}.eval.yaml`, SUITE],
  [`data/${EXAMPLE_PROMPT}.jsonl`, DATASET],
  ['.github/workflows/promptgate.yml', WORKFLOW],
];

export const initCommand = defineCommand({
  name: 'init',
  summary: 'write a starting point: promptgate.yaml, an example prompt with suite and dataset, a workflow',
  description: [
    'Writes into the current directory (your repository root) every file below that does not exist yet;',
    'an existing file is never overwritten, only named. Adds the cache and the report to .gitignore.',
    '',
    ...FILES.map(([path]) => `  ${path}`),
  ].join('\n'),
  options: {},
  async run(_input, io) {
    for (const [path, content] of FILES) {
      const full = join(io.cwd, path);
      if (existsSync(full)) {
        io.stdout.write(`kept     ${path} (exists)\n`);
        continue;
      }
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content, { flag: 'wx' });
      io.stdout.write(`created  ${path}\n`);
    }
    io.stdout.write(`${await ignoreGenerated(io.cwd)}\n`);
    io.stdout.write(
      [
        '',
        'Next:',
        '  export OPENAI_API_KEY=sk-...        # or OPENAI_BASE_URL for any OpenAI-compatible server',
        '  npx promptgate eval --all           # evaluate every prompt now',
        '  git add -A && git commit -m "Add promptgate"',
        'Then a pull request that changes a prompt gets a score diff, and a regression fails the check.',
        '',
      ].join('\n'),
    );
    return EXIT.pass;
  },
});

/** Appends the lines .gitignore lacks; never rewrites what is there. */
async function ignoreGenerated(root: string): Promise<string> {
  const path = join(root, '.gitignore');
  const existing = existsSync(path) ? await readFile(path, 'utf8') : '';
  const present = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_LINES.filter((line) => !present.has(line));
  if (!missing.length) return 'kept     .gitignore (already ignores the cache and the report)';
  const separator = existing && !existing.endsWith('\n') ? '\n' : '';
  await writeFile(path, `${existing}${separator}${missing.join('\n')}\n`);
  return `${existing ? 'updated' : 'created'}  .gitignore (+ ${missing.join(', ')})`;
}
