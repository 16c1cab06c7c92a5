import { describe, expect, test } from 'vitest';
import { renderMarkdown, type MarkdownOptions } from '../src/engine/report/markdown.js';
import { COMMENT_FORMAT, COMMENT_MARKER, GITHUB_COMMENT_LIMIT as MAX_COMMENT_LENGTH, TRIMMED_NOTE } from '../src/github/comment-format.js';
import type { Finding } from '../src/engine/types.js';
import { caseDetail, occurrences, outsideCode, regressedPrompt, report } from './report-helpers.js';

/** The markdown as the action posts it: GitHub's comment format. */
const comment = (r: Parameters<typeof renderMarkdown>[0], opts: MarkdownOptions = {}) => renderMarkdown(r, { ...COMMENT_FORMAT, ...opts });

/** Case ids rendered in the details, in order. */
const renderedCases = (markdown: string) => [...markdown.matchAll(/^\*\*([^*]+)\*\*/gm)].map((m) => m[1]);

function expectWellFormed(markdown: string): void {
  const markup = outsideCode(markdown);
  expect(occurrences(markup, '<details>')).toBe(occurrences(markup, '</details>'));
  expect(markdown.startsWith(`${COMMENT_MARKER}\n## `)).toBe(true);
  expect(occurrences(markdown, COMMENT_MARKER)).toBe(1);
}

describe('the engine knows no outlet', () => {
  test('without an outlet format: no marker, no length limit, nothing trimmed', () => {
    const r = report({ result: 'fail', prompts: [regressedPrompt(3000, 1000)] });
    const md = renderMarkdown(r);
    expect(md.startsWith('## ❌ promptgate: ')).toBe(true);
    expect(md).not.toContain(COMMENT_MARKER);
    expect(md.length).toBeGreaterThan(MAX_COMMENT_LENGTH);
    expect(md).not.toContain('trimmed');
  });

  test("an outlet's limit and note: the note says where the rest is", () => {
    const md = renderMarkdown(report({ result: 'fail', prompts: [regressedPrompt(3000, 1000)] }), {
      maxLength: 20_000,
      trimmedNote: 'See the JSON.',
    });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('See the JSON.');
  });
});

describe('trimming to the comment limit', () => {
  test('3,000 regressed cases with 1,000-character outputs fit, keeping the most severe cases', () => {
    const md = comment(report({ result: 'fail', prompts: [regressedPrompt(3000, 1000)] }));
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    // Trimmed no further than needed: one more case (about 2,200 characters) would not fit.
    expect(md.length).toBeGreaterThan(MAX_COMMENT_LENGTH - 2500);
    expect(md).toContain(TRIMMED_NOTE);
    expect(md).toContain('| accuracy | 90.0% | 80.0% | −10.0 pp | [−15.0, −5.0] pp | ❌ regressed |');
    expect(md).toMatch(/<sub>Models: .*<\/sub>$/);
    const shown = renderedCases(md);
    expect(shown.length).toBeGreaterThan(20);
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => `case-${i}`));
    expect(md).toContain(`<summary>3,000 regressed cases (showing ${shown.length})</summary>`);
    expect(md).toContain('b'.repeat(1000));
    expectWellFormed(md);
  });

  test('a report under the limit is untouched', () => {
    const r = report({ result: 'fail', prompts: [regressedPrompt(20, 1000)] });
    const md = comment(r);
    expect(md).toBe(comment(r, { maxLength: Number.POSITIVE_INFINITY }));
    expect(md).not.toContain(TRIMMED_NOTE);
    expect(renderedCases(md)).toHaveLength(20);
    expect(md).toContain('<summary>20 regressed cases</summary>');
  });

  test('improved cases go first, then each prompt keeps its most severe regressed cases', () => {
    const prompts = ['first', 'second'].map((name) => {
      const p = regressedPrompt(40, 500, name);
      p.cases.improved = ['better-0', 'better-1'];
      p.details = [
        ...p.details,
        caseDetail('better-0', { scores: { accuracy: [0, 1] } }),
        caseDetail('better-1', { scores: { accuracy: [0, 1] } }),
      ];
      return p;
    });
    const md = comment(report({ result: 'fail', prompts }), { maxLength: 30_000 });
    expect(md.length).toBeLessThanOrEqual(30_000);
    expect(md).not.toContain('improved case');
    const [first, second] = md.split('### ❌ second').map(renderedCases);
    expect(first![0]).toBe('case-0');
    expect(second![0]).toBe('case-0');
    expect(Math.abs(first!.length - second!.length)).toBeLessThanOrEqual(1);
    expect(first!.length).toBeGreaterThan(3);
    expectWellFormed(md);
  });

  test('when dropping cases is not enough, outputs are shortened', () => {
    const prompts = Array.from({ length: 10 }, (_, i) => regressedPrompt(10, 2000, `p${i}`));
    const md = comment(report({ result: 'fail', prompts }));
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(occurrences(md, '<summary>10 regressed cases (showing 3)</summary>')).toBe(10);
    const cut = '_(cut to 300 of 2,000 characters)_';
    // Outputs are shortened from the last prompt up, only as far as needed.
    expect(occurrences(md, cut)).toBeGreaterThan(0);
    expect(occurrences(md, cut)).toBeLessThan(60);
    expect(md.split('### ❌ p1 ')[0]).not.toContain(cut);
    expect(occurrences(md.split('### ❌ p9 ')[1]!, cut)).toBe(6);
    expect(md).toContain(TRIMMED_NOTE);
    expectWellFormed(md);
  });

  test('then whole sections go from the end, keeping every table', () => {
    const prompts = Array.from({ length: 40 }, (_, i) => regressedPrompt(10, 2000, `p${i}`));
    const md = comment(report({ result: 'fail', prompts }));
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(occurrences(md, '| accuracy | 90.0% | 80.0% |')).toBe(40);
    const sections = occurrences(md, '<summary>10 regressed cases (showing 3)</summary>');
    expect(sections).toBeGreaterThan(0);
    expect(sections).toBeLessThan(40);
    // The sections kept belong to the first prompts.
    expect(md.split('### ❌ p0 ')[1]!.split('### ❌ p1 ')[0]).toContain('<details>');
    expect(md.split('### ❌ p39 ')[1]).not.toContain('<details>');
    expect(md).toContain(TRIMMED_NOTE);
    expectWellFormed(md);
  });

  test('findings alone over the limit are cut at a line end, keeping headline, note and footer', () => {
    const lint: Finding[] = Array.from({ length: 5000 }, (_, i) => ({
      rule: 'invalid-file',
      severity: 'error',
      file: `prompts/p${i}.prompt.yaml`,
      line: 1,
      message: 'x'.repeat(200),
    }));
    const md = comment(report({ result: 'fail', lint, prompts: [regressedPrompt(5, 100)] }));
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(md.split('\n')[1]).toBe('## ❌ promptgate: 1 metric regressed in support-refund; 5,000 lint errors');
    expect(md).toContain(`\`prompts/p0.prompt.yaml:1\`: ${'x'.repeat(200)}\n`);
    expect(md).toMatch(new RegExp(`: x{200}\\n\\n${TRIMMED_NOTE.replace(/[.]/g, '\\.')}\\n\\n<sub>`));
    expectWellFormed(md);
  });

  test('a limit too small for the footer keeps the headline', () => {
    const md = comment(report({ result: 'fail', prompts: [regressedPrompt(50, 1000)] }), { maxLength: 100 });
    expect(md).toBe(`${COMMENT_MARKER}\n## ❌ promptgate: 1 metric regressed in support-refund`);
  });

  test('any limit gives well-formed markdown within it', () => {
    const prompts = [regressedPrompt(60, 700, 'a'), regressedPrompt(60, 1500, 'b')];
    prompts[0]!.cases.improved = ['up'];
    prompts[0]!.details = [...prompts[0]!.details, caseDetail('up', { scores: { accuracy: [0, 1] } })];
    const r = report({ result: 'fail', prompts });
    for (let maxLength = 2_000; maxLength <= 200_000; maxLength += 3_917) {
      const md = comment(r, { maxLength });
      expect(md.length).toBeLessThanOrEqual(maxLength);
      expectWellFormed(md);
    }
  });
});
