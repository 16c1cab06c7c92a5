// How a workflow gives promptgate the git history it compares against: the engine says what
// is missing (git/commands.ts MissingHistoryError), the action says how actions/checkout fetches it.
export const CHECKOUT_HINT = {
  commit: 'In the workflow, check out with actions/checkout, and give its token read access to the repository.',
  history: 'In the workflow, check out with actions/checkout and `fetch-depth: 0`.',
} as const;
