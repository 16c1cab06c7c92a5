// How promptgate's markdown report becomes a GitHub comment (SPEC 6): the hidden marker that
// finds the sticky comment again, GitHub's length limit, and where the untrimmed report is.
// The action posts it; the CLI's --markdown prints the same text, so a preview matches the comment.
import type { MarkdownOptions } from '../engine/report/markdown.js';

export const COMMENT_MARKER = '<!-- promptgate -->';
/** GitHub refuses longer comment bodies. */
export const GITHUB_COMMENT_LIMIT = 65_536;
export const TRIMMED_NOTE =
  "Some case details were trimmed to fit GitHub's comment limit; the full report is in the job's promptgate-report.json artifact.";

export const COMMENT_FORMAT = {
  header: COMMENT_MARKER,
  maxLength: GITHUB_COMMENT_LIMIT,
  trimmedNote: TRIMMED_NOTE,
} as const satisfies MarkdownOptions;
