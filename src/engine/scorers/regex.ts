import { RE2JS, RE2JSException } from 're2js';

/** A compiled user pattern: whether it matches anywhere in a text. */
export interface UserRegex {
  test(text: string): boolean;
}

/** Why RE2 refuses a construct that backtracking engines accept, and what to write instead. */
const UNSUPPORTED: { found: RegExp; why: string }[] = [
  {
    found: /\\[1-9]|\\k</,
    why: 'backreferences (\\1, \\k<name>) are not supported: promptgate matches in linear time (RE2 syntax), which cannot express them; list the alternatives, or score it in a script metric',
  },
  {
    found: /\(\?<?[=!]/,
    why: 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported: promptgate matches in linear time (RE2 syntax); match the surrounding text instead, pair a regex with a not-regex metric, or score it in a script metric',
  },
  { found: /\\u[0-9A-Fa-f]{4}|\\u\{/, why: 'write a code point as \\x{00e9}, not \\u00e9 (RE2 syntax)' },
  // (? then a letter that is no flag (P starts a named group).
  { found: /\(\?[imsU-]*(?![imsU-])[A-OQ-Za-z]/, why: 'the inline flags are i, m, s and U, as in (?i) or (?is:...) (RE2 syntax)' },
];

/**
 * Compiles a user regex with RE2 semantics (the `re2js` port), so matching takes time linear
 * in the output whatever the pattern: a pattern like `(a+)+$` cannot hang a run. Inline flags
 * (?i), (?s), (?m), (?U) work anywhere, as in RE2 and Python. Throws SyntaxError saying what
 * is wrong and what to do.
 */
export function compileRegex(pattern: string): UserRegex {
  try {
    const re = RE2JS.compile(pattern);
    return { test: (text) => re.test(text) };
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    const unsupported = UNSUPPORTED.find((u) => u.found.test(pattern));
    // re2js says "error parsing regexp: missing closing ): `(hello|hi`"; keep what follows the prefix.
    const reason = unsupported?.why ?? err.message.replace(/^error parsing regexp: /, '');
    throw new SyntaxError(`invalid regular expression ${JSON.stringify(pattern)}: ${reason}`, { cause: err });
  }
}
