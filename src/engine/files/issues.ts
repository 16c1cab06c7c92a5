import type * as z from 'zod';
import type { Finding } from '../types.js';
import type { KeyPath, StructuredFile } from './parse.js';

/**
 * Turns zod issues into findings located in `parsed`: each says what was found, what is
 * expected and what to do. `prefix` is where the validated value sits in the file.
 */
export function issueFindings(issues: readonly z.core.$ZodIssue[], parsed: StructuredFile, prefix: KeyPath = []): Finding[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      // One finding per key, at the key itself; the schema's message lists the allowed keys.
      return issue.keys.map((key) =>
        parsed.findingAt(
          [...path, key],
          `unknown key "${key}"; ${issue.message}; remove it or fix its spelling`,
          parsed.keyPosition(path, key),
        ),
      );
    }
    if (issue.code === 'invalid_key') {
      // A mapping key that is not allowed (e.g. a prompt name): point at the key, not its value.
      const why = issue.issues[0]?.message ?? 'not an allowed key';
      const message = `${why}, found ${JSON.stringify(path.at(-1))}; rename the key`;
      return [parsed.findingAt(path, message, parsed.keyPosition(path.slice(0, -1), String(path.at(-1))))];
    }
    return [parsed.findingAt(path, describe(issue, path))];
  });
}

function describe(issue: z.core.$ZodIssue, path: KeyPath): string {
  const input = (issue as { input?: unknown }).input;
  if (input === undefined && path.length) {
    // A union's own message says what the key may hold.
    if (issue.code !== 'invalid_type') return `${issue.message}; the key is missing, add it`;
    return `missing required key "${path.at(-1)}" (${typeLabel(issue.expected)}); add it`;
  }
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeLabel(issue.expected);
      return `expected ${expected}, found ${found(input)}; change it to ${expected}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${found(input)}; use one of them`;
    case 'too_small':
    case 'too_big':
      return `expected ${bound(issue)}, found ${found(input)}; change it`;
    default:
      // Custom checks and unions carry a message written for users in schemas.ts.
      return issue.message;
  }
}

function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array') return small ? `at least ${limit} item${limit === 1 ? '' : 's'}` : `at most ${limit} items`;
  if (issue.origin === 'string')
    return small && limit === 1 ? 'a non-empty text' : `a text of ${small ? 'at least' : 'at most'} ${limit} characters`;
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `a number ${op} ${limit}`;
}

function typeLabel(expected: string): string {
  const labels: Record<string, string> = {
    string: 'a text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'a mapping',
    record: 'a mapping',
    array: 'a list',
    null: 'null',
  };
  return labels[expected] ?? expected;
}

function found(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `the text ${JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input)}`;
  return `${typeof input === 'number' ? 'the number ' : ''}${String(input)}`;
}

/** Validates `value` (written at `prefix` in `parsed`) against `schema`. */
export function validate<S extends z.ZodType>(
  schema: S,
  parsed: StructuredFile,
  value: unknown,
  prefix: KeyPath = [],
): { data?: z.output<S>; findings: Finding[] } {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? { data: result.data, findings: [] } : { findings: issueFindings(result.error.issues, parsed, prefix) };
}
