import type { PublishedArtifact, Role } from './bundle.js';
export interface RenderedMessage {
    role: Role;
    content: string;
}
export declare class PromptVersion {
    readonly artifact: PublishedArtifact;
    readonly sha256: string;
    private readonly messages;
    /** Names the templates read from the caller's variables, checked before rendering as the gate does. */
    private readonly variables;
    constructor(artifact: PublishedArtifact, sha256: string, where: string);
    /** Renders every message. Strict: a variable the templates read and `vars` lacks throws, naming it and the version. */
    render(vars: Record<string, unknown>): RenderedMessage[];
}
