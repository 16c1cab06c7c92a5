// npm run demo, part two: a promotion. On main the example's prompts are released and
// support-refund 2.1.0 is put in production; a better 2.2.0 is released; a branch moves
// production to 2.2.0, and the gate evaluates that pull request like a prompt change.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TONE_IMPROVEMENT } from '../test/helpers/example-model.js';
import { git } from '../test/e2e/harness.js';

/** Runs `promptgate ARGS` in `repo`; the output is shown only when it fails. */
async function promptgate(cli: string, repo: string, env: Record<string, string>, args: string[], show = false): Promise<number> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: show ? 'inherit' : 'pipe' });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  if (!show && status !== 0) throw new Error(`promptgate ${args.join(' ')} exited ${status}:\n${output.join('')}`);
  return status ?? 1;
}

export async function showPromotion(cli: string, repo: string, env: Record<string, string>): Promise<void> {
  const run = (...args: string[]) => promptgate(cli, repo, env, args);
  const commit = async (message: string) => {
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', message);
  };
  await git(repo, 'checkout', '-q', 'main');
  await run('release');
  await run('promote', 'support-refund', '2.1.0');
  await commit('Release the prompts; support-refund 2.1.0 in production');
  appendFileSync(join(repo, 'partials/tone.njk'), TONE_IMPROVEMENT);
  const file = join(repo, 'prompts/support-refund.prompt.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: 2\.1\.0$/m, 'version: 2.2.0'));
  await commit('support-refund 2.2.0: the trail guarantee');
  await run('release');
  await commit('Release support-refund 2.2.0');
  await git(repo, 'checkout', '-q', '-b', 'promote-2.2.0');
  await run('promote', 'support-refund', '2.2.0');
  await commit('Promote support-refund 2.2.0');

  process.stderr.write(
    '\npromptgate demo, part two: a promotion. On main, `promptgate release` archived the prompts and support-refund 2.1.0 is in\n' +
      'production (.promptgate/releases.yaml); 2.2.0 (partials/tone.njk now mentions the trail guarantee) is released too.\n' +
      'Branch promote-2.2.0 runs `promptgate promote support-refund 2.2.0`: a one-line change the gate evaluates like a prompt change.\n' +
      '$ promptgate eval --base main --markdown\n\n',
  );
  const status = await promptgate(cli, repo, env, ['eval', '--base', 'main', '--markdown'], true);
  process.stderr.write(`\n(exit code ${status}: ${status === 0 ? 'the promotion passed the gate' : 'see above'})\n`);
}
