import type { Location } from './types.js';

/**
 * A problem the user can fix (bad input, missing key, unreachable base commit). Its
 * message is complete (it names the file and line itself); `location` is for annotations.
 * Outlets print the message without a stack trace; anything else is a bug in promptgate.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly location?: Location,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function formatLocation(loc: Location): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  return s;
}
