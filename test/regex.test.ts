import { describe, expect, test } from 'vitest';
import { compileRegex } from '../src/engine/scorers/regex.js';

describe('compileRegex', () => {
  test('maps a leading (?i) to the i flag', () => {
    const re = compileRegex('(?i)we will refund');
    expect(re.source).toBe('we will refund');
    expect(re.flags).toBe('i');
    expect(re.test('WE WILL REFUND you')).toBe(true);
  });

  test('combines several inline flags, in one group or several', () => {
    expect(compileRegex('(?is)a.b').flags).toBe('is');
    expect(compileRegex('(?s)(?m)^a.b$').flags).toBe('ms');
    expect(compileRegex('(?s)a.b').test('a\nb')).toBe(true);
    expect(compileRegex('a.b').test('a\nb')).toBe(false);
  });

  test('leaves patterns without inline flags alone', () => {
    const re = compileRegex('(?:ab)+(?<n>c)');
    expect(re.source).toBe('(?:ab)+(?<n>c)');
    expect(re.flags).toBe('');
  });

  test('an invalid pattern throws a SyntaxError that quotes it', () => {
    expect(() => compileRegex('(unclosed')).toThrow(SyntaxError);
    expect(() => compileRegex('(unclosed')).toThrow('invalid regular expression "(unclosed": Unterminated group');
  });

  test('an unsupported inline flag is named', () => {
    expect(() => compileRegex('(?x) a b')).toThrow('unsupported inline flag "x" in (?x); use i, m or s');
  });

  test('inline flags in the middle are explained', () => {
    expect(() => compileRegex('a(?i)b')).toThrow('inline flags such as (?i) are only allowed at the very start');
  });
});
