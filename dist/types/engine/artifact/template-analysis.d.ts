export interface TemplateProblem {
    message: string;
    file: string;
    line?: number;
}
export interface TemplateFile {
    /** Repo-relative path. */
    path: string;
    text: string;
}
/** Finds the file a template name refers to, or undefined when there is none. */
export type TemplateResolver = (name: string) => TemplateFile | undefined;
export interface TemplateAnalysis {
    /** Names read from the context, in order of first use, with where that use is (1-based lines). */
    variables: Array<{
        name: string;
        file: string;
        line: number;
    }>;
    /** Repo-relative paths of the files reached through include/import/extends, sorted. */
    files: string[];
    problems: TemplateProblem[];
}
/** Where a template's text sits: its file and the 1-based line its first line is on. */
export interface TemplateOrigin {
    file: string;
    line: number;
}
/** Analyses one template source and everything it reaches. Never throws on template content. */
export declare function analyzeTemplate(source: string, origin: TemplateOrigin, resolve: TemplateResolver): TemplateAnalysis;
