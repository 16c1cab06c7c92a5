/** promptgate's own version, recorded in baselines; a test keeps it equal to package.json's. */
export const TOOL_VERSION = '0.1.0';

/** Where an internal error asks to be reported (package.json `bugs` says the same). */
export const BUGS_URL = 'https://github.com/promptgate/promptgate/issues';
