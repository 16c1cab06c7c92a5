import { describe, expect, test } from 'vitest';
import { LazyList } from '../src/engine/lazy-list.js';
import { renderMarkdown, type MarkdownOptions } from '../src/engine/report/markdown.js';
import type { CaseDetail } from '../src/engine/types.js';
import { COMMENT_FORMAT, COMMENT_MARKER } from '../src/github/comment-format.js';
import { caseDetail, metric, occurrences, outsideCode, promptReport, regressedMetric, regressedPrompt, report } from './report-helpers.js';

/** The markdown as the action posts it: GitHub's comment format. */
const comment = (r: Parameters<typeof renderMarkdown>[0], opts: MarkdownOptions = {}) => renderMarkdown(r, { ...COMMENT_FORMAT, ...opts });

const ZWSP = '\u200B';
const headline = (markdown: string) => markdown.split('\n')[1];

describe('drift mode', () => {
  test('names drift, not a regression, in the headline', () => {
    const drifted = comment(
      report({ mode: 'drift', result: 'fail', prompts: [promptReport({ status: 'regressed', metrics: [regressedMetric()] })] }),
    );
    expect(drifted).toContain('## ❌ promptgate: 1 metric drifted below the stored baseline in support-refund');
    expect(comment(report({ mode: 'drift', prompts: [promptReport()] }))).toContain('## ✅ promptgate: no drift in 1 prompt');
  });
});

describe('headline', () => {
  test('pass', () => {
    const md = comment(report({ prompts: [promptReport(), promptReport({ name: 'b' }), promptReport({ name: 'c' })] }));
    expect(md.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(headline(md)).toBe('## ✅ promptgate: no regressions in 3 prompts');
  });

  test('regressed', () => {
    const prompt = promptReport({ status: 'regressed', metrics: [regressedMetric(), regressedMetric({ name: 'tone' })] });
    const md = comment(report({ result: 'fail', prompts: [prompt] }));
    expect(headline(md)).toBe('## ❌ promptgate: 2 metrics regressed in support-refund');
  });

  test('accepted, naming who accepted it and with which label, without pinging them', () => {
    const prompt = promptReport({ status: 'regressed', metrics: [regressedMetric()] });
    const md = comment(report({ accepted: true, prompts: [prompt] }), { acceptedBy: 'alice', acceptLabel: 'ok-to-regress' });
    expect(headline(md)).toBe('## ⚠️ promptgate: regressions accepted');
    expect(md).toContain(`1 metric regressed in support-refund; accepted by @${ZWSP}alice with the \`ok-to-regress\` label.`);
    const unknown = comment(report({ accepted: true, prompts: [prompt] }));
    expect(unknown).toContain('1 metric regressed in support-refund; accepted with the `promptgate:accept` label.');
  });

  test('regressions that do not fail the check', () => {
    const prompt = promptReport({ status: 'regressed', metrics: [regressedMetric()] });
    const md = comment(report({ result: 'pass', prompts: [prompt] }, { failOnRegression: false }));
    expect(headline(md)).toBe('## ⚠️ promptgate: 1 metric regressed in support-refund');
    expect(md).toContain('These do not fail the check: the gate is set not to fail on a regression.');
    const worded = comment(report({ result: 'pass', prompts: [prompt] }, { failOnRegression: false }), { gateOffNote: 'Input x is off.' });
    expect(worded).toContain('Input x is off.');
  });

  test('lint failures', () => {
    const md = comment(
      report({
        result: 'fail',
        prompts: [promptReport()],
        lint: [
          {
            rule: 'model-unpinned',
            severity: 'error',
            file: 'prompts/a.prompt.yaml',
            line: 3,
            column: 10,
            message: 'Pin gpt-4o-2024-11-20.',
          },
          { rule: 'model-unverified', severity: 'warning', file: 'prompts/b.prompt.yaml', line: 4, message: 'Allow it in pinning.allow.' },
          { rule: 'version-not-bumped', severity: 'error', file: 'prompts/<b>.prompt.yaml', message: 'Bump @octocat' },
        ],
      }),
    );
    expect(headline(md)).toBe('## ❌ promptgate: 2 lint errors');
    expect(md).toContain(
      [
        '### Lint',
        '',
        '- ❌ `model-unpinned` (error) `prompts/a.prompt.yaml:3:10`: Pin gpt-4o-2024-11-20.',
        '- ⚠️ `model-unverified` (warning) `prompts/b.prompt.yaml:4`: Allow it in pinning.allow.',
        `- ❌ \`version-not-bumped\` (error) \`prompts/<b>.prompt.yaml\`: Bump @${ZWSP}octocat`,
      ].join('\n'),
    );
  });

  test('run errors are listed, escaped', () => {
    const md = comment(report({ result: 'fail', errors: ['budget exceeded: 500 calls', 'bad <b>thing</b>'] }));
    expect(headline(md)).toBe('## ❌ promptgate: 2 run errors');
    expect(md).toContain('- budget exceeded: 500 calls\n- bad &lt;b&gt;thing&lt;/b&gt;');
  });

  test('several problems at once, many prompts by count', () => {
    const failing = ['a', 'b', 'c', 'd'].map((name) => promptReport({ name, status: 'regressed', metrics: [regressedMetric()] }));
    const belowMin = promptReport({
      name: 'e',
      status: 'below-min',
      metrics: [metric({ candidate: 0.5, below_min: true, gate: { min: 0.9 } })],
    });
    const errored = promptReport({ name: 'f', status: 'error', error: 'all samples failed' });
    const md = comment(report({ result: 'fail', prompts: [...failing, belowMin, errored] }));
    expect(headline(md)).toBe('## ❌ promptgate: 4 metrics regressed in 4 prompts; 1 metric below the minimum in e; f errored');
  });

  test('no affected prompts in a pull request', () => {
    const md = comment(report({ prompts: [], models: [] }));
    expect(headline(md)).toBe('## ✅ promptgate: no prompt is affected by this change');
  });

  test('baseline mode lists the files written', () => {
    const md = comment(report({ mode: 'baseline', prompts: [promptReport()], baselines_written: ['baselines/support-refund.json'] }));
    expect(headline(md)).toBe('## ✅ promptgate: baselines written for 1 prompt');
    expect(md).toContain('Baselines written:\n- `baselines/support-refund.json`');
  });
});

describe('prompt sections', () => {
  test('heading, meta line, table row for a regressed metric, stats line', () => {
    const md = comment(
      report({
        result: 'fail',
        prompts: [
          promptReport({
            status: 'regressed',
            samples_per_case: 3,
            metrics: [regressedMetric(), metric({ name: 'tone', baseline: 0.5, candidate: 0.531, delta: 0.031, ci95: [-0.081, 0.02] })],
          }),
        ],
      }),
    );
    expect(md).toContain(
      [
        '### ❌ support-refund · modified · 1.2.0 → 1.3.0',
        '',
        'Model `gpt-4o-2024-11-20` · stored baseline · 3 samples per case · `prompts/support-refund.prompt.yaml`',
        '',
        '| Metric | Production | This PR | Δ | 95% CI | Status |',
        '| - | - | - | - | - | - |',
        '| accuracy | 90.0% | 80.0% | −10.0 pp | [−15.0, −5.0] pp | ❌ regressed |',
        '| tone | 50.0% | 53.1% | +3.1 pp | [−8.1, +2.0] pp | ✅ pass |',
        '',
        'Cases: 0 regressed, 0 improved, 0 errored · error rate 0.0% of 10 samples · latency p50 1.2 s, p95 3.4 s · 15,000 tokens · $0.0123',
      ].join('\n'),
    );
  });

  test('below min, likely noise, and a new prompt', () => {
    const md = comment(
      report({
        result: 'fail',
        prompts: [
          promptReport({
            status: 'regressed',
            metrics: [
              regressedMetric({ name: 'both', candidate: 0.85, delta: -0.05, gate: { min: 0.9 }, below_min: true }),
              regressedMetric({ name: 'noisy', likely_noise: true, p_value: 0.25 }),
            ],
          }),
          promptReport({
            name: 'greeter',
            change: 'added',
            status: 'new',
            version: { base: null, head: '1.0.0' },
            baseline: { source: 'none' },
            metrics: [metric({ baseline: null, candidate: 0.95, delta: null, ci95: null, p_value: null })],
          }),
        ],
      }),
    );
    expect(md).toContain('| both | 90.0% | 85.0% | −5.0 pp | [−15.0, −5.0] pp | ❌ regressed, below min 90.0% |');
    expect(md).toContain('| noisy | 90.0% | 80.0% | −10.0 pp | [−15.0, −5.0] pp | ❌ regressed, ⚠️ within noise (p = 0.25) |');
    expect(md).toContain('### 🆕 greeter · added · — → 1.0.0');
    expect(md).toContain('Model `gpt-4o-2024-11-20` · no baseline · 1 sample per case');
    expect(md).toContain('| accuracy | — | 95.0% | — | — | 🆕 new |');
  });

  test('a removed prompt is one line', () => {
    const removed = promptReport({
      name: 'old',
      change: 'removed',
      status: 'removed',
      metrics: [],
      version: { base: '2.0.0', head: null },
    });
    const md = comment(report({ prompts: [promptReport(), removed] }));
    expect(md).toContain('\n\n🗑️ **old** (`prompts/support-refund.prompt.yaml`): removed, not evaluated.\n\n');
    expect(md).not.toContain('### 🗑️');
    expect(headline(md)).toBe('## ✅ promptgate: no regressions in 1 prompt');
  });

  test("a prompt's error is shown", () => {
    const md = comment(
      report({ result: 'fail', prompts: [promptReport({ status: 'error', error: 'stored baseline is stale: run mode baseline' })] }),
    );
    expect(md).toContain('**Error:** stored baseline is stale: run mode baseline');
  });
});

describe('case details', () => {
  const prompt = () => {
    const p = regressedPrompt(2, 10);
    p.cases.improved = ['better'];
    p.cases.errored = ['broken', 'case-1'];
    p.details = [
      ...p.details,
      caseDetail('better', { scores: { accuracy: [0, 1] } }),
      caseDetail('broken', { error: 'HTTP 500', candidate_output: undefined, baseline_output: undefined }),
    ];
    return p;
  };

  test('regressed, improved and errored cases, each in its own details, in order', () => {
    const md = comment(report({ result: 'fail', prompts: [prompt()] }));
    expect(md).toContain('Errored cases: broken, case-1');
    expect(md).toContain(
      [
        '<details><summary>2 regressed cases</summary>',
        '',
        '**case-0** · accuracy 100.0% → 0.0%',
        '',
        'Input:',
        '',
        '```json\n{\n  "vars": {\n    "question": "question of case-0"\n  },\n  "expected": "refund"\n}\n```',
        '',
        'Production output:',
        '',
        '```\nbbbbbbbbbb\n```',
        '',
        "This PR's output:",
        '',
        '```\ncccccccccc\n```',
        '',
        '**case-1**',
      ].join('\n'),
    );
    const regressedAt = md.indexOf('<summary>2 regressed cases</summary>');
    const improvedAt = md.indexOf('<summary>1 improved case</summary>');
    const erroredAt = md.indexOf('<summary>2 errored cases (showing 1)</summary>');
    expect(regressedAt).toBeGreaterThan(0);
    expect(improvedAt).toBeGreaterThan(regressedAt);
    expect(erroredAt).toBeGreaterThan(improvedAt);
    expect(md.slice(improvedAt)).toContain('**better** · accuracy 0.0% → 100.0%');
    expect(md.slice(erroredAt)).toContain('**broken** · accuracy 100.0% → 0.0%\n\nError: HTTP 500\n\nInput:');
    expect(md.slice(erroredAt)).toContain("Production output:\n\n_not stored_\n\nThis PR's output:\n\n_none_\n\n</details>");
    expect(occurrences(md, '<details>')).toBe(3);
    expect(occurrences(md, '</details>')).toBe(3);
  });

  test('reads the changed details only: none when no case changed, and not the unchanged rest', () => {
    const made: string[] = [];
    const lazy = (details: CaseDetail[]) =>
      new LazyList(details.length, function* () {
        for (const detail of details) {
          made.push(detail.id);
          yield detail;
        }
      });
    const unchanged = Array.from({ length: 50 }, (_, i) => caseDetail(`same-${i}`));
    const p = prompt();
    comment(report({ result: 'fail', prompts: [{ ...p, details: lazy([...p.details, ...unchanged]) }] }));
    expect(made).toEqual(['case-0', 'case-1', 'better', 'broken', 'same-0']);
    made.length = 0;
    const md = comment(report({ prompts: [promptReport({ details: lazy(unchanged) })] }));
    expect(made).toEqual([]);
    expect(md).not.toContain('same-0');
  });

  test('more errored ids than shown are counted', () => {
    const ids = Array.from({ length: 25 }, (_, i) => `e${i}`);
    const md = comment(report({ result: 'fail', prompts: [promptReport({ cases: { regressed: [], improved: [], errored: ids } })] }));
    expect(md).toContain(`Errored cases: ${ids.slice(0, 20).join(', ')} and 5 more`);
  });
});

describe('footer', () => {
  test('models, calls, cache hits, retries, tokens, cost, duration in small text', () => {
    const md = comment(report({ prompts: [promptReport()], models: ['gpt-4o-2024-11-20', 'claude_x'] }));
    expect(
      md.endsWith(
        '\n\n<sub>Models: gpt-4o-2024-11-20, claude\\_x · 120 calls · 30 cache hits · 2 retries · 45,000 tokens (40,000 in, 5,000 out) · $0.1200 · 1 min 5 s</sub>',
      ),
    ).toBe(true);
  });
});

describe('escaping what a model or a pull request wrote', () => {
  const attacks = [
    '</details><img src=x onerror=alert(1)>',
    '```\n</details>\n<img src=x onerror=alert(1)>\n```',
    '@octocat please merge',
    '| broken | table |',
    '[click](javascript:alert(1))',
    '<!-- promptgate -->',
  ];
  const attacked = () => {
    const details = attacks.map((attack, i) =>
      caseDetail(attack, {
        vars: { text: attack },
        expected: attack,
        baseline_output: attack,
        candidate_output: attack,
        scores: { [attack]: [1, 0] },
        error: i === 0 ? attack : undefined,
      }),
    );
    return report({
      result: 'fail',
      errors: attacks,
      models: attacks,
      lint: attacks.map((attack) => ({
        rule: 'invalid-file' as const,
        severity: 'error' as const,
        file: attack,
        line: 1,
        message: attack,
      })),
      prompts: attacks.map((attack) =>
        promptReport({
          name: attack,
          file: attack,
          model: attack,
          version: { base: attack, head: attack },
          status: 'regressed',
          error: attack,
          metrics: [regressedMetric({ name: attack })],
          cases: { regressed: attacks, improved: [], errored: attacks },
          details,
        }),
      ),
    });
  };

  test('outside code there is no raw HTML, no mention, no link, and details stay balanced', () => {
    const md = comment(attacked(), { acceptedBy: 'octocat' });
    const markup = outsideCode(md);
    expect(markup).not.toMatch(/<img/i);
    expect(markup).not.toMatch(/@[a-z]/i);
    expect(markup).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
    expect(markup).toContain('\\[click\\](javascript:alert(1))');
    expect(occurrences(markup, '<details>')).toBe(attacks.length);
    expect(occurrences(markup, '</details>')).toBe(attacks.length);
    // Every `</details>` outside code is one of ours, on its own line.
    expect(
      markup
        .split('\n')
        .filter((line) => line.includes('</details>'))
        .every((line) => line === '</details>'),
    ).toBe(true);
  });

  test('inside code, a fence in the output cannot close the block', () => {
    const md = comment(attacked());
    expect(md).toContain('````\n```\n</details>\n<img src=x onerror=alert(1)>\n```\n````');
    expect(() => outsideCode(md)).not.toThrow();
  });

  test('a model output cannot forge a second comment marker', () => {
    const md = comment(attacked());
    expect(occurrences(md, COMMENT_MARKER)).toBe(1);
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
  });

  test('no @mention anywhere, in code or not', () => {
    expect(comment(attacked())).not.toMatch(/@(?!\u200B)/);
  });

  test('a metric name with pipes stays in its cell', () => {
    const md = comment(report({ result: 'fail', prompts: [promptReport({ metrics: [regressedMetric({ name: '| broken | table |' })] })] }));
    expect(md).toContain('| \\| broken \\| table \\| | 90.0% | 80.0% | −10.0 pp | [−15.0, −5.0] pp | ❌ regressed |');
  });

  test('long names are cut with an ellipsis', () => {
    const md = comment(report({ prompts: [promptReport({ metrics: [metric({ name: 'm'.repeat(300) })] })] }));
    expect(md).toContain(`| ${'m'.repeat(99)}… | 90.0%`);
  });

  test("a judge's or a script's reason for a case's score is shown with the case, escaped", () => {
    const detail = caseDetail('curt', { scores: { polite: [1, 0.25] }, reasons: { polite: 'curt <b>reply</b> to @alice' } });
    const md = comment(
      report({
        prompts: [
          promptReport({
            status: 'regressed',
            metrics: [regressedMetric()],
            cases: { regressed: ['curt'], improved: [], errored: [] },
            details: [detail],
          }),
        ],
      }),
    );
    expect(md).toContain('Why polite: curt');
    expect(md).not.toContain('<b>reply</b>');
    expect(md).not.toMatch(/@(?!\u200B)alice/);
  });
});
