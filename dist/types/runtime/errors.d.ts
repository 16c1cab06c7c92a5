/** `get` found neither the prompt nor the label it asked for (SPEC 12.1). */
export declare class PromptNotFoundError extends Error {
    readonly prompt: string;
    readonly label: string;
    constructor(message: string, prompt: string, label: string);
}
/** `render` was not given a variable the version's templates read, or a template failed. */
export declare class PromptRenderError extends Error {
    readonly prompt: string;
    readonly version: string;
    readonly variable?: string | undefined;
    constructor(message: string, prompt: string, version: string, variable?: string | undefined);
}
/** A bundle could not be read: what was fetched or read, and what was wrong with it. */
export declare class BundleError extends Error {
    readonly location: string;
    constructor(message: string, location: string);
}
/** `openRegistry` could load a manifest neither from `source` nor from `fallback`. */
export declare class RegistryOpenError extends Error {
    readonly causes: Error[];
    constructor(message: string, causes: Error[]);
}
