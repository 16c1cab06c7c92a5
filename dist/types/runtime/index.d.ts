export { openRegistry, Registry, type GetOptions, type RegistryOptions } from './registry.js';
export { Prompt } from './prompt.js';
export type { RenderedMessage } from './version.js';
export type { Arm } from './bucketing.js';
export type { FetchFunction } from './sources.js';
export { jsonlSink, type JsonlSink } from './jsonl-sink.js';
export { BundleError, PromptNotFoundError, PromptRenderError, RegistryOpenError } from './errors.js';
export { EVENT_SCHEMA, type AttributeValue, type Attributes, type CallEvent, type CallOutcome, type CallReference, type FeedbackEvent, type PromptEvent, } from './telemetry.js';
