import type { PromptEvent } from './telemetry.js';
export interface JsonlSink {
    (event: PromptEvent): void;
    /** Closes the file; later events reopen it. Also done on process exit. */
    close(): void;
}
export declare function jsonlSink(path: string): JsonlSink;
