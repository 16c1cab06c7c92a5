// Errors the runtime library throws to application code. Each message is complete: it
// names the prompt, label, version or source involved and what was expected.

/** `get` found neither the prompt nor the label it asked for (SPEC 12.1). */
export class PromptNotFoundError extends Error {
  constructor(
    message: string,
    readonly prompt: string,
    readonly label: string,
  ) {
    super(message);
    this.name = 'PromptNotFoundError';
  }
}

/** `render` was not given a variable the version's templates read, or a template failed. */
export class PromptRenderError extends Error {
  constructor(
    message: string,
    readonly prompt: string,
    readonly version: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'PromptRenderError';
  }
}

/** A bundle could not be read: what was fetched or read, and what was wrong with it. */
export class BundleError extends Error {
  constructor(
    message: string,
    readonly location: string,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

/** `openRegistry` could load a manifest neither from `source` nor from `fallback`. */
export class RegistryOpenError extends Error {
  constructor(
    message: string,
    readonly causes: Error[],
  ) {
    super(message);
    this.name = 'RegistryOpenError';
  }
}
