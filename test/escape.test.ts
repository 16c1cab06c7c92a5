import { describe, expect, test } from 'vitest';
import { codeBlock, escapeHtml, escapeText, inlineCode } from '../src/engine/report/escape.js';

const ZWSP = '\u200B';

describe('escapeText', () => {
  test('HTML becomes entities', () => {
    expect(escapeText('</details><img src=x onerror=alert(1)>')).toBe('&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeText('a & b')).toBe('a &amp; b');
    expect(escapeText('<!-- promptgate -->')).toBe('&lt;!-- promptgate --&gt;');
  });

  test('table pipes, links, images, emphasis, code and math are backslash-escaped', () => {
    expect(escapeText('| broken | table |')).toBe('\\| broken \\| table \\|');
    expect(escapeText('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(escapeText('![x](https://e.vil/p.png)')).toBe('!\\[x\\](https://e.vil/p.png)');
    expect(escapeText('*bold* _it_ ~~s~~ `c` $x$ \\')).toBe('\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\`c\\` \\$x\\$ \\\\');
  });

  test('mentions get a zero-width space; issue refs stay', () => {
    expect(escapeText('cc @octocat and @org/team, see #123')).toBe(`cc @${ZWSP}octocat and @${ZWSP}org/team, see #123`);
  });

  test('line breaks become spaces', () => {
    expect(escapeText('one\ntwo\r\n\r\nthree')).toBe('one two three');
  });

  test('long text is cut with an ellipsis before escaping, never inside a surrogate pair', () => {
    expect(escapeText('abcdefghij', 5)).toBe('abcd…');
    expect(escapeText('<<<<<<', 3)).toBe('&lt;&lt;…');
    expect(escapeText('ab😀cd', 4)).toBe('ab…');
    expect(escapeText('short', 5)).toBe('short');
  });
});

describe('codeBlock', () => {
  test('a plain fence with a language', () => {
    expect(codeBlock('{"a": 1}', { language: 'json' })).toBe('```json\n{"a": 1}\n```');
    expect(codeBlock('')).toBe('```\n```');
  });

  test('the fence is longer than any backtick run inside', () => {
    expect(codeBlock('a\n```\nb')).toBe('````\na\n```\nb\n````');
    expect(codeBlock('`````')).toBe('``````\n`````\n``````');
  });

  test('HTML stays as is (inert in code); mentions and the comment marker are broken', () => {
    expect(codeBlock('</details><img src=x onerror=alert(1)>')).toBe('```\n</details><img src=x onerror=alert(1)>\n```');
    expect(codeBlock('hi @octocat <!-- promptgate -->')).toBe(`\`\`\`\nhi @${ZWSP}octocat <!${ZWSP}-- promptgate -->\n\`\`\``);
  });

  test('long text is cut and a note under the block says so', () => {
    expect(codeBlock('x'.repeat(2500))).toBe(`\`\`\`\n${'x'.repeat(2000)}\n\`\`\`\n\n_(cut to 2,000 of 2,500 characters)_`);
    expect(codeBlock('abcdef', { maxChars: 4 })).toBe('```\nabcd\n```\n\n_(cut to 4 of 6 characters)_');
  });

  test('carriage returns are normalised', () => {
    expect(codeBlock('a\r\nb\rc')).toBe('```\na\nb\nc\n```');
  });
});

describe('inlineCode', () => {
  test('a span that cannot be closed early', () => {
    expect(inlineCode('prompts/a.yaml')).toBe('`prompts/a.yaml`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x`')).toBe('`` `x` ``');
    expect(inlineCode('@me\nnext')).toBe(`\`@${ZWSP}me next\``);
  });
});

describe('escapeHtml', () => {
  test('leaves no character that starts markup, an entity or leaves a quoted attribute', () => {
    expect(escapeHtml(`</pre><img src=x onerror="a('b')"> & co`)).toBe(
      '&lt;/pre&gt;&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; co',
    );
  });

  test('cuts long text before escaping, with an ellipsis', () => {
    expect(escapeHtml('<<<<<<', 3)).toBe('&lt;&lt;…');
  });
});
