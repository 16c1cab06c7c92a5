// Answers the example prompt `promptgate init` writes, correctly: the review's expected label.
import { DATASET } from '../../src/cli/init/files.js';
import { lastUserMessage, type Handler } from '../servers/model-server.js';

const LABELS = new Map(
  DATASET.trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { vars: { review: string }; expected: string })
    .map((c) => [c.vars.review, c.expected]),
);

export const initExampleModel: Handler = (call) => ({ text: LABELS.get(lastUserMessage(call)) ?? 'unsure' });
