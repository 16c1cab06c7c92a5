// Schemas of the values several file formats (and the metric registry) share.
import * as z from 'zod';
import { compileRegex } from '../scorers/regex.js';

/** An object whose unknown-key issue lists the allowed keys (see issues.ts). */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `expected one of: ${allowed}` : undefined),
  });
}

/** Nunjucks syntax: such a value is only checked once rendered. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** `{provider, name, ...params}`: every other key is an API parameter. */
export const modelSchema = z.looseObject({ provider: z.string().min(1), name: z.string().min(1) });

const TEXT_VALUE_ERROR = 'expected a text (nunjucks allowed, e.g. "{{ expected }}")';

export const textValue = z.union([z.string(), z.number(), z.boolean()], { error: TEXT_VALUE_ERROR }).transform(String);

export const regexValue = z.string({ error: TEXT_VALUE_ERROR }).superRefine((pattern, ctx) => {
  if (isTemplate(pattern)) return;
  try {
    compileRegex(pattern);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${(err as Error).message}; fix the pattern` });
  }
});

export const lengthValue = z
  .union([z.int().min(0), z.string()], { error: 'expected a whole number of characters' })
  .refine((v) => typeof v === 'number' || /^\s*\d+\s*$/.test(v) || isTemplate(v), {
    error: 'expected a whole number of characters (or a nunjucks expression that renders one)',
  })
  .transform((v) => (typeof v === 'string' && !isTemplate(v) ? Number(v) : v));
