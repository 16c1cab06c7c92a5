// The CLI's command line: help, --version and usage errors (one line naming the problem and
// the help to read, exit 2), and git errors worded as the user's situation. No model is called.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands/index.js';
import { TOOL_VERSION } from '../src/engine/version.js';
import { git } from './e2e/harness.js';
import { runCli } from './helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptgate-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(argv, {}, dir);
const firstLine = (text: string) => text.split('\n')[0];

describe('help and --version', () => {
  it('--version prints the version alone', async () => {
    expect(await cli('--version')).toEqual({ code: 0, stdout: `${TOOL_VERSION}\n`, stderr: '' });
  });

  it('help lists every command with its summary, and the exit codes', async () => {
    const { code, stdout } = await cli('help');
    expect(code).toBe(0);
    expect(firstLine(stdout)).toBe(`promptgate ${TOOL_VERSION}: versioned, tested, deployable prompts.`);
    // A subcommand ("canary start") is listed under its group's help, not the general one.
    for (const command of COMMANDS.filter((c) => !c.name.includes(' '))) expect(stdout).toContain(command.summary);
    for (const command of COMMANDS.filter((c) => c.name.includes(' '))) {
      expect((await cli('help', command.name.split(' ')[0]!)).stdout).toContain(command.summary);
    }
    expect(stdout).toMatch(/^ {2}2 {2}usage or configuration error.*\n.*broken promptgate\.yaml/m);
    expect(stdout).toMatch(/A broken suite or prompt file\s+is a lint finding/);
    expect(await cli('--help')).toEqual({ code: 0, stdout, stderr: '' });
  });

  it('COMMAND --help and help COMMAND show that command only', async () => {
    const { code, stdout } = await cli('lint', '--help');
    expect(code).toBe(0);
    expect(firstLine(stdout)).toBe('Usage: promptgate lint [options]');
    expect(stdout).toContain('--base REF');
    expect(stdout).not.toContain('--concurrency');
    expect(stdout).not.toContain('--max-cost-usd');
    expect((await cli('help', 'lint')).stdout).toBe(stdout);
    expect((await cli('lint', '-h')).stdout).toBe(stdout);
  });

  it.each(COMMANDS.map((c) => c.name))('help %s starts with its usage line', async (name) => {
    const { code, stdout } = await cli('help', ...name.split(' '));
    expect(code).toBe(0);
    expect(firstLine(stdout)).toMatch(new RegExp(`^Usage: promptgate ${name}\\b`));
  });
});

describe('usage errors: one line naming the problem and the help command, exit 2', () => {
  it.each([
    [[], 'promptgate: Name a command. See "promptgate help".'],
    [['evaluate'], /^promptgate: Unknown command "evaluate": expected one of init, eval, lint, .*\. See "promptgate help"\.$/],
    [['eval', '--foo'], 'promptgate: Unknown option --foo for eval. See "promptgate help eval".'],
    [['lint', '--concurrency', '2'], 'promptgate: Unknown option --concurrency for lint. See "promptgate help lint".'],
    [['eval', '--base'], 'promptgate: --base needs a value (REF). See "promptgate help eval".'],
    [['eval', '--base', '--markdown'], 'promptgate: --base needs a value (REF). See "promptgate help eval".'],
    [['eval', '--markdown=yes'], 'promptgate: --markdown takes no value. See "promptgate help eval".'],
    [['eval', '--json', 'a', '--json', 'b'], 'promptgate: --json is given twice. See "promptgate help eval".'],
    [['eval', 'extra'], 'promptgate: Unexpected argument "extra" for eval. See "promptgate help eval".'],
    [['eval', '--baseline', 'fresh'], 'promptgate: --baseline must be auto, stored or rerun; got "fresh". See "promptgate help eval".'],
    [['eval', '--max-cost-usd', '-1'], 'promptgate: --max-cost-usd needs a value (X). See "promptgate help eval".'],
    [['eval', '--max-cost-usd=-1'], 'promptgate: --max-cost-usd takes a number of 0 or more; got "-1". See "promptgate help eval".'],
    [['--config', 'x', 'eval'], 'promptgate: Unknown option --config: name a command first. See "promptgate help".'],
    [['help', 'nope'], 'promptgate: No command "nope". See "promptgate help".'],
  ])('%j', async (argv, expected) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.split('\n')).toHaveLength(2);
    if (typeof expected === 'string') expect(firstLine(stderr)).toBe(expected);
    else expect(firstLine(stderr)).toMatch(expected);
  });
});

describe('git errors say what is wrong', () => {
  it('outside a git repository', async () => {
    const { code, stderr } = await cli('eval');
    expect(code).toBe(2);
    expect(stderr).toBe(
      `promptgate: ${dir} is not a git repository: promptgate compares commits, so run it inside one (git init, then commit your prompts).\n`,
    );
  });

  it('before the first commit', async () => {
    const repo = join(dir, 'fresh');
    await git(dir, 'init', '-q', repo);
    const { code, stderr } = await runCli(['eval'], {}, repo);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `promptgate: The git repository in ${repo} has no commits yet: commit your prompts first (git add -A && git commit -m "Add prompts").\n`,
    );
  });
});
