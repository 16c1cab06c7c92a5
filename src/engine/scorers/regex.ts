const INLINE_FLAGS = /^\(\?([A-Za-z]+)\)/;
const SUPPORTED_FLAGS = new Set(['i', 'm', 's']);

/**
 * Compiles a user regex. Accepts leading inline flags like (?i), (?s), (?m), (?is) (Python/PCRE
 * style, used in SPEC examples) and maps them to JS flags. Throws SyntaxError with a clear message.
 */
export function compileRegex(pattern: string): RegExp {
  const flags = new Set<string>();
  let body = pattern;
  for (let m = INLINE_FLAGS.exec(body); m; m = INLINE_FLAGS.exec(body)) {
    for (const flag of m[1]!) {
      if (!SUPPORTED_FLAGS.has(flag)) {
        throw new SyntaxError(
          `invalid regular expression ${JSON.stringify(pattern)}: unsupported inline flag "${flag}" in ${m[0]}; use i, m or s`,
        );
      }
      flags.add(flag);
    }
    body = body.slice(m[0].length);
  }
  try {
    return new RegExp(body, [...flags].sort().join(''));
  } catch (err) {
    // V8 says "Invalid regular expression: /body/flags: reason"; keep the reason only.
    const reason = (err as Error).message.split(': ').pop();
    const hint = /\(\?[A-Za-z]/.test(body) ? '; inline flags such as (?i) are only allowed at the very start' : '';
    throw new SyntaxError(`invalid regular expression ${JSON.stringify(pattern)}: ${reason}${hint}`, { cause: err });
  }
}
