// A run without one provider's API key (a fork's pull request gets no secrets) does all it
// can: lint, the prompts on providers that have keys, the answers the cache holds; the
// prompts that need the key are errors that say how to set it.
import { describe, expect, it } from 'vitest';
import { annotationsFor } from '../src/action/annotations.js';
import { failureMessage } from '../src/action/failure.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { runPr } from './helpers/engine.js';
import { TONE_REGRESSION } from './helpers/example-model.js';
import { bumpPatch } from './helpers/example-repo.js';

const fixture = useExampleFixture();
const SUPPORT = 'prompts/support-refund.prompt.yaml';

describe('a missing API key', () => {
  it('errors only the prompts that need it, after everything else ran; cached answers still count', async () => {
    const repo = await fixture.repo();
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit({
      'partials/tone.njk': (old) => old + TONE_REGRESSION,
      [SUPPORT]: bumpPatch,
      'prompts/ticket-summary.prompt.yaml': (old) => bumpPatch(old).replace('Summarise', 'Carefully summarise'),
      // A lint error (changed without a version bump) is still reported.
      'prompts/intent-classifier.prompt.yaml': (old) => old.replace('temperature: 0', 'temperature: 0\n  top_p: 1'),
    });
    await repo.commit('change');
    const { OPENAI_API_KEY: _, ...noOpenai } = fixture.server.env();

    const forked = await runPr(repo, noOpenai);
    expect(forked.result).toBe('fail');
    expect(forked.lint.map((f) => [f.rule, f.file])).toEqual([['version-not-bumped', 'prompts/intent-classifier.prompt.yaml']]);
    const byName = Object.fromEntries(forked.prompts.map((p) => [p.name, p]));
    expect(byName['support-refund']).toMatchObject({
      status: 'error',
      missing_keys: [{ provider: 'openai', env: 'OPENAI_API_KEY' }],
      error:
        "no API key for provider 'openai' (OPENAI_API_KEY is not set): 20 samples could not be evaluated, the others were answered by the response cache",
    });
    expect(byName['ticket-summary']).toMatchObject({ status: 'pass' });
    expect(byName['ticket-summary']!.missing_keys).toBeUndefined();
    expect(fixture.server.calls.every((c) => c.api === 'anthropic')).toBe(true);

    // The action names its input beside the variable, in the failure and on the file.
    const wording = `set the input "openai-api-key" (or the OPENAI_API_KEY environment variable) for provider 'openai'`;
    expect(failureMessage(forked, { acceptLabel: 'promptgate:accept' })).toContain(`support-refund needs an API key`);
    expect(failureMessage(forked, { acceptLabel: 'promptgate:accept' })).toContain(wording);
    const annotation = annotationsFor(forked).find((a) => a.properties.file === SUPPORT);
    expect(annotation).toMatchObject({ level: 'error' });
    expect(annotation!.message).toContain(wording);

    // With the key once, every answer is cached; without it again, the cache answers them all.
    await runPr(repo, fixture.server.env());
    fixture.server.reset();
    const cached = await runPr(repo, noOpenai);
    expect(cached.prompts.map((p) => [p.name, p.status])).toEqual([
      ['intent-classifier', 'pass'],
      ['support-refund', 'regressed'],
      ['ticket-summary', 'pass'],
    ]);
    expect(cached.usage.calls).toBe(0);
    expect(fixture.server.calls).toEqual([]);
  });
});
