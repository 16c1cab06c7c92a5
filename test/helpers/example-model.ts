// A simulated model for fixtures/example, served by test/servers/model-server.ts: it knows
// each case's right answer and reacts to the prompt's wording the way the tests need.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastUserMessage, type Handler, type ModelCall } from '../servers/model-server.js';
import { EXAMPLE } from './example-repo.js';

/** Appended to partials/tone.njk, it makes support-refund promise refunds on damaged items (2 of 10 cases). */
export const TONE_REGRESSION = 'Sound upbeat and reassuring: let customers know we will refund them so they leave happy.\n';
/** Appended to partials/tone.njk, it fixes the one case support-refund gets wrong (worn-item). */
export const TONE_IMPROVEMENT = 'Worn shoes that hurt are covered by our trail guarantee: say so.\n';

interface ExampleCase {
  id: string;
  vars: Record<string, string>;
  expected?: unknown;
  tags?: string[];
}

const CASES: ExampleCase[] = readdirSync(join(EXAMPLE, 'data')).flatMap((file) =>
  readFileSync(join(EXAMPLE, 'data', file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExampleCase),
);

/** Every system text of a call, whichever API carried it. */
export function systemText(call: ModelCall): string {
  return [call.system ?? '', ...call.messages.filter((m) => m.role === 'system').map((m) => m.content)].join('\n');
}

/** The example case a call is about: the one whose variable values all appear in its messages. */
export function caseOf(call: ModelCall): ExampleCase | undefined {
  const text = `${systemText(call)}\n${lastUserMessage(call)}`;
  return CASES.find((c) => Object.values(c.vars).every((v) => text.includes(v)));
}

export const isSupportRefund = (call: ModelCall): boolean => systemText(call).includes('support agent');

/**
 * The example's prompts as they stand score: support-refund 9/10 on accuracy (it misses
 * worn-item), everything else 100%.
 */
export const exampleModel: Handler = (call) => {
  const c = caseOf(call);
  if (!c) return { text: 'other' };
  if (typeof c.expected === 'object' && c.expected) {
    const subject = c.vars['ticket']!.split('\n')[0]!.replace('Subject: ', 'Customer reports: ');
    return { text: JSON.stringify({ summary: subject, ...c.expected }) };
  }
  if (!isSupportRefund(call)) return { text: String(c.expected) };
  const system = systemText(call);
  if (system.includes('reassuring') && c.tags?.includes('damaged')) {
    return { text: "So sorry about that! Don't worry at all: we will refund you in full today." };
  }
  if (c.id === 'worn-item' && !system.includes('trail guarantee')) {
    return { text: 'Shoes that were worn outdoors are outside the 30 days return window.' };
  }
  return {
    text: `Thanks for reaching out. Our policy here: ${String(c.expected)}. I can open a refund request that our billing team will review.`,
  };
};
