// The HTML eval report in a real browser (chromium, JavaScript off): written by the CLI end
// to end, then looked at (screenshot, text) and attacked (an injection corpus in model output).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../src/engine/report/html/report.js';
import { ROOT } from './e2e/harness.js';
import { launchBrowser, openPage, screenshot } from './helpers/browser.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { TONE_REGRESSION } from './helpers/example-model.js';
import { bumpPatch } from './helpers/example-repo.js';
import { caseDetail, metric, promptReport, regressedMetric, report } from './report-helpers.js';

const fixture = useExampleFixture();
let browser: Browser;
let scratch: string;
beforeAll(async () => {
  browser = await launchBrowser();
  scratch = await mkdtemp(join(tmpdir(), 'promptgate-html-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('promptgate eval --html', () => {
  it('writes one self-contained page a browser shows without JavaScript: verdict, metrics, cases side by side', async () => {
    const repo = await fixture.repo();
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit({ 'partials/tone.njk': (old: string) => old + TONE_REGRESSION, 'prompts/support-refund.prompt.yaml': bumpPatch });
    await repo.commit('friendlier tone');
    const file = join(scratch, 'out', 'report.html');
    const cli = await promisify(execFile)(process.execPath, [join(ROOT, 'dist/cli.js'), 'eval', '--base', 'main', '--html', file], {
      cwd: repo.dir,
      env: { ...process.env, ...fixture.server.env() },
    }).then(
      () => 0,
      (err: { code: number }) => err.code,
    );
    expect(cli).toBe(1);

    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    const { page, requests } = await openPage(browser, file);
    expect(requests).toEqual([]);
    const text = await page.$eval('body', (body) => body.innerText);
    expect(text).toContain('FAIL');
    // The filter bar needs JavaScript: without it, it is not shown at all.
    expect(text).not.toContain('Show cases');
    expect(text).toContain('support-refund');
    expect(text).toContain('2.1.0 → 2.1.1');
    expect(text).toContain('accuracy');
    // The metric chart: one SVG with a bar per metric's interval.
    expect(await page.$$eval('figure.intervals svg', (svgs) => svgs.length)).toBe(1);
    // Regressed cases are open and come first; each shows input, production and this change's output.
    const sections = await page.$$eval('details.cases', (all) => all.map((d) => [d.getAttribute('data-kind'), d.hasAttribute('open')]));
    expect(sections[0]).toEqual(['regressed', true]);
    const firstCase = await page.$eval('details.cases article.case', (a) => [...a.querySelectorAll('h4')].map((h) => h.textContent));
    expect(firstCase).toEqual(['Input', 'Production output', "This change's output"]);
    // Every case of the suite is there, not only the changed ones.
    expect(await page.$$eval('article.case', (all) => all.length)).toBe(10);

    const shot = await screenshot(page);
    expect([shot.width, shot.height]).toEqual([1280, 900]);
    expect(shot.inkShare).toBeGreaterThan(0.02);
    await page.close();
  });
});

const ATTACKS = [
  '<script>alert("script")</script>',
  '<img src=x onerror="alert(\'img\')">',
  '</svg><svg onload="alert(\'svg\')"></svg>',
  '<a href="javascript:alert(\'link\')">click</a>',
  '</pre></article></details><iframe src="javascript:alert(1)"></iframe>',
  '"><body onload="alert(\'attr\')">',
];

describe('an injection corpus in everything a model or a pull request wrote', () => {
  it('renders inert: no script, handler, link or image from content, and the text reads as written', async () => {
    const attack = ATTACKS.join('\n');
    const details = ATTACKS.map((a, i) =>
      caseDetail(`case-${i}${a}`, { vars: { question: a }, expected: a, baseline_output: a, candidate_output: attack, error: a }),
    );
    const page = renderHtmlReport(
      report({
        result: 'fail',
        errors: [attack],
        models: [attack],
        head: { ref: attack, sha: 'b'.repeat(40) },
        prompts: [
          promptReport({
            name: `support${ATTACKS[2]}`,
            status: 'regressed',
            version: { base: ATTACKS[0]!, head: ATTACKS[1]! },
            model: attack,
            error: attack,
            metrics: [regressedMetric({ name: `acc${ATTACKS[2]}` }), metric({ name: ATTACKS[3]! })],
            cases: { regressed: details.slice(0, 3).map((d) => d.id), improved: [details[3]!.id], errored: [details[4]!.id] },
            details,
          }),
        ],
        lint: [{ rule: 'invalid-file', severity: 'error', file: `prompts/${ATTACKS[1]}`, line: 3, message: attack }],
      }),
    );
    const file = join(scratch, 'attack.html');
    await writeFile(file, page);

    for (const javascript of [false, true]) {
      const { page: tab, requests, dialogs } = await openPage(browser, file, { javascript });
      const dom = await tab.$$eval('*', (elements) => ({
        scripts: elements.filter((el) => el.tagName === 'SCRIPT').map((el) => el.textContent ?? ''),
        handlers: elements.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
        links: elements.filter((el) => el.hasAttribute('href')).map((el) => el.getAttribute('href')!),
        embeds: elements.filter((el) => ['IMG', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)).length,
        pre: elements.filter((el) => el.tagName === 'PRE').map((el) => el.textContent),
      }));
      // Our one filter script, nothing else; links are the page's own anchors.
      expect(dom.scripts).toHaveLength(1);
      expect(dom.scripts[0]).toContain("document.querySelector('.filters')");
      expect(dom.handlers).toEqual([]);
      expect(dom.links.every((href) => href.startsWith('#prompt-'))).toBe(true);
      expect(dom.embeds).toBe(0);
      expect(dom.pre).toContain(attack);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      await tab.close();
    }
  });

  it('with JavaScript on, the filter shows one kind of case', async () => {
    const ids = ['a', 'b', 'c'];
    const file = join(scratch, 'filter.html');
    await writeFile(
      file,
      renderHtmlReport(
        report({
          prompts: [promptReport({ cases: { regressed: ['a'], improved: ['b'], errored: [] }, details: ids.map((id) => caseDetail(id)) })],
        }),
      ),
    );
    const { page } = await openPage(browser, file, { javascript: true });
    await page.click('.filters button[data-kind="improved"]');
    const visible = await page.$$eval('details.cases', (all) => all.filter((d) => !d.hidden).map((d) => d.getAttribute('data-kind')));
    expect(visible).toEqual(['improved']);
    await page.close();
  });
});
