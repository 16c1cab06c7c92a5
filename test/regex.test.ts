import { describe, expect, test } from 'vitest';
import { compileRegex } from '../src/engine/scorers/regex.js';
import { createScorer } from '../src/engine/scorers/index.js';
import { aCase, deps } from './scorers-helpers.js';

describe('compileRegex (RE2 syntax)', () => {
  test('a leading (?i) makes the whole pattern case-insensitive', () => {
    const re = compileRegex('(?i)we will refund');
    expect(re.test('WE WILL REFUND you')).toBe(true);
    expect(re.test('we may refund')).toBe(false);
  });

  test('inline flags combine, and apply from where they are written', () => {
    expect(compileRegex('(?s)a.b').test('a\nb')).toBe(true);
    expect(compileRegex('a.b').test('a\nb')).toBe(false);
    expect(compileRegex('(?m)^b$').test('a\nb\nc')).toBe(true);
    expect(compileRegex('^b$').test('a\nb\nc')).toBe(false);
    expect(compileRegex('a(?i)b').test('aB')).toBe(true);
    expect(compileRegex('a(?i)b').test('AB')).toBe(false);
    expect(compileRegex('(?i:ab)c').test('ABc')).toBe(true);
  });

  test('matches anywhere, with named groups and character classes', () => {
    expect(compileRegex('(?:ab)+(?<n>c)').test('xxababc')).toBe(true);
    expect(compileRegex('\\bref\\w+').test('a refund')).toBe(true);
    expect(compileRegex('\\d{3}').test('no digits')).toBe(false);
  });

  test('catastrophic patterns on long outputs finish: matching is linear in the output', () => {
    // With a backtracking engine each of these takes longer than the universe's age.
    const long = `${'a'.repeat(100_000)}!`;
    expect(compileRegex('(a+)+$').test(long)).toBe(false);
    expect(compileRegex('(a|aa)*c').test(long)).toBe(false);
    expect(compileRegex('^(\\w+\\s?)*$').test(`${'word '.repeat(20_000)}!`)).toBe(false);
  });

  test('an invalid pattern throws a SyntaxError that quotes it and says why', () => {
    expect(() => compileRegex('(unclosed')).toThrow(SyntaxError);
    expect(() => compileRegex('(unclosed')).toThrow('invalid regular expression "(unclosed": missing closing ): `(unclosed`');
    expect(() => compileRegex('a{2,1}')).toThrow('invalid repeat count');
  });

  test('a backreference is refused with the reason and what to do instead', () => {
    for (const pattern of ['(\\w+) \\1', '(?<w>a)\\k<w>']) {
      expect(() => compileRegex(pattern)).toThrow(
        `invalid regular expression ${JSON.stringify(pattern)}: backreferences (\\1, \\k<name>) are not supported: promptgate matches in linear time (RE2 syntax)`,
      );
    }
    expect(() => compileRegex('(\\w+) \\1')).toThrow('score it in a script metric');
  });

  test('lookahead and lookbehind are refused with the reason and what to do instead', () => {
    for (const pattern of ['refund(?! denied)', 'a(?=b)', '(?<=\\$)\\d+', '(?<!no )refund']) {
      expect(() => compileRegex(pattern)).toThrow('lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported');
    }
  });

  test('an unknown inline flag and a JavaScript \\u escape are explained', () => {
    expect(() => compileRegex('(?x) a b')).toThrow('the inline flags are i, m, s and U');
    expect(() => compileRegex('caf\\u00e9')).toThrow('write a code point as \\x{00e9}, not \\u00e9');
    expect(compileRegex('caf\\x{00e9}').test('café')).toBe(true);
  });
});

describe('regex metrics', () => {
  test('a catastrophic pattern scores a long output instead of hanging the run', async () => {
    const regex = await createScorer({ name: 'm', type: 'regex', value: '(a+)+$' }, deps());
    const notRegex = await createScorer({ name: 'm', type: 'not-regex', value: '(a+)+$' }, deps());
    const output = `${'a'.repeat(200_000)}!`;
    expect(await regex({ output, case: aCase() })).toEqual({ score: 0 });
    expect(await notRegex({ output, case: aCase() })).toEqual({ score: 1 });
  });

  test('a templated pattern is compiled per case with the same engine', async () => {
    const scorer = await createScorer({ name: 'm', type: 'regex', value: '({{ expected }}+)+$' }, deps());
    expect(await scorer({ output: `${'a'.repeat(100_000)}!`, case: aCase({ expected: 'a' }) })).toEqual({ score: 0 });
    await expect(scorer({ output: 'x', case: aCase({ expected: '(x)\\1' }) })).rejects.toThrow('backreferences');
  });
});
