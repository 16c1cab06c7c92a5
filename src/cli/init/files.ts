// What `promptgate init` writes: a working starting point, each file a constant so the README
// can show (and a test can check) exactly what a user gets.

export const EXAMPLE_PROMPT = 'review-sentiment';

export const CONFIG = `# promptgate configuration (every key is optional; these are the defaults).
prompts: ["prompts/**/*.prompt.yaml"]   # globs locating prompt files
baselines: .promptgate/baselines          # stored baselines (promptgate baseline writes them)
cache: .promptgate/cache                  # response cache: unchanged prompts are never paid for twice
concurrency: 8                            # model calls in flight
gate: { max_drop: 0, max_error_rate: 0 }   # per-metric defaults; suites override them
budget: { max_cost_usd: 5 }               # a run stops and fails before spending more
`;

export const PROMPT = `name: ${EXAMPLE_PROMPT}
version: 1.0.0                  # bump it whenever the prompt, an included file or the model changes
description: Labels a product review as positive, negative or mixed.
model:
  provider: openai              # reads OPENAI_API_KEY (and OPENAI_BASE_URL, if set)
  name: gpt-4o-mini-2024-07-18  # a pinned snapshot, never an alias the provider can repoint
  temperature: 0
  max_tokens: 5
messages:
  - role: system
    content: |
      Label the sentiment of the product review: positive, negative or mixed.
      Answer with the label only, in lowercase.
  - role: user
    content: "{{ review }}"
eval: ../evals/${EXAMPLE_PROMPT}.eval.yaml
`;

export const SUITE = `dataset: ../data/${EXAMPLE_PROMPT}.jsonl
repeat: 1                       # samples per case; raise it for prompts with temperature > 0
metrics:
  - name: label
    type: equals
    value: "{{ expected }}"
gate:
  label: { max_drop: 0, min: 0.8 }   # fail when the label accuracy drops, or falls below 80%
`;

export const DATASET = [
  { id: 'great-battery', vars: { review: 'The battery lasts two full days. Love it.' }, expected: 'positive' },
  { id: 'broke-fast', vars: { review: 'Stopped working after a week, and support never answered.' }, expected: 'negative' },
  { id: 'good-but-loud', vars: { review: 'Cleans really well, but it is far too loud.' }, expected: 'mixed' },
  { id: 'perfect-gift', vars: { review: 'Bought it as a gift and my sister adores it.' }, expected: 'positive' },
  { id: 'wrong-size', vars: { review: 'Arrived in the wrong size and the return cost me money.' }, expected: 'negative' },
  { id: 'nice-screen-slow', vars: { review: 'Beautiful screen, although the apps are slow to open.' }, expected: 'mixed' },
]
  .map((c) => JSON.stringify(c))
  .join('\n')
  .concat('\n');

/** The pull-request workflow, as the README shows it. */
export const WORKFLOW = `# .github/workflows/promptgate.yml
name: promptgate
on:
  pull_request:
    # labeled/unlabeled: adding or removing the accept label re-runs the gate.
    types: [opened, synchronize, reopened, labeled, unlabeled]
permissions:
  contents: read
  pull-requests: write   # the sticky comment; without it the report goes to the job summary only
concurrency:
  group: promptgate-\${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  promptgate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7          # the default shallow clone is enough: promptgate fetches the base commit itself
      - uses: actions/cache@v6             # responses of unchanged prompts are never paid for twice
        with:
          path: .promptgate/cache
          # One entry per state of the prompt files: a rerun restores it whole, a changed
          # prompt restores the closest older entry (its base branch's) and saves a new one.
          key: promptgate-\${{ hashFiles('prompts/**', 'evals/**', 'data/**', 'promptgate.yaml') }}
          restore-keys: promptgate-
      - uses: promptgate/promptgate@v1
        with:
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
          anthropic-api-key: \${{ secrets.ANTHROPIC_API_KEY }}
`;

/** What a repository using promptgate keeps out of git. */
export const GITIGNORE_LINES = ['.promptgate/cache/', 'promptgate-report.json'];
