// How a workflow gives promptgate the git history it compares against: the engine says what
// is missing (git/commands.ts MissingHistoryError), the action says how actions/checkout fetches it.
import type { UserError } from '../engine/errors.js';
import { MissingHistoryError } from '../engine/git/commands.js';

const CHECKOUT_HINT = {
  commit: 'In the workflow, check out with actions/checkout, and give its token read access to the repository.',
  history: 'In the workflow, check out with actions/checkout and `fetch-depth: 0`.',
} as const;

/** A user error as the action's failure states it: missing history gets the checkout advice. */
export function actionFailure(err: UserError): string {
  return err instanceof MissingHistoryError ? `${err.message} ${CHECKOUT_HINT[err.missing]}` : err.message;
}
