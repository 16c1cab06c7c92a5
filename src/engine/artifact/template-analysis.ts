// Static analysis of nunjucks templates on nunjucks' own AST: which names a template reads
// from its context, and which files it includes, imports or extends (transitively).
import nunjucks from 'nunjucks';

export interface TemplateProblem {
  message: string;
  file: string;
  line?: number;
}

/** A node of nunjucks' parser output. @types/nunjucks does not declare the parser. */
interface AstNode {
  readonly typename: string;
  readonly fields: string[];
  readonly lineno: number;
  readonly colno: number;
  [field: string]: unknown;
}

const parser = (nunjucks as unknown as { parser: { parse(source: string): AstNode } }).parser;
const NodeClass = (nunjucks as unknown as { nodes: { Node: abstract new () => AstNode } }).nodes.Node;

function isNode(value: unknown): value is AstNode {
  return value instanceof NodeClass;
}

function children(node: AstNode): AstNode[] {
  return (node['children'] as unknown[]).filter(isNode);
}

/** Names every template can read without a case providing them (nunjucks globals, loop helpers). */
const GLOBALS = new Set(['range', 'cycler', 'joiner', 'loop', 'caller']);
/** Tests that make reading an absent name legal: `{% if x is defined %}`. */
const PRESENCE_TESTS = new Set(['defined', 'undefined']);
/** Filters whose first argument may be absent: `{{ x | default("n/a") }}`. */
const DEFAULT_FILTERS = new Set(['default', 'd']);

export interface TemplateFile {
  /** Repo-relative path. */
  path: string;
  text: string;
}

/** Finds the file a template name refers to, or undefined when there is none. */
export type TemplateResolver = (name: string) => TemplateFile | undefined;

export interface TemplateAnalysis {
  /** Names read from the context, in order of first use, with where that use is (1-based lines). */
  variables: Array<{ name: string; file: string; line: number }>;
  /** Repo-relative paths of the files reached through include/import/extends, sorted. */
  files: string[];
  problems: TemplateProblem[];
}

/** Where a template's text sits: its file and the 1-based line its first line is on. */
export interface TemplateOrigin {
  file: string;
  line: number;
}

/** Lexical scope: names bound by for/set/macro/import, looked up through the parents. */
class Scope {
  private readonly names = new Set<string>();
  constructor(private readonly parent?: Scope) {}
  bind(name: string): void {
    this.names.add(name);
  }
  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
  child(): Scope {
    return new Scope(this);
  }
}

/** Analyses one template source and everything it reaches. Never throws on template content. */
export function analyzeTemplate(source: string, origin: TemplateOrigin, resolve: TemplateResolver): TemplateAnalysis {
  const walker = new Walker(resolve);
  walker.walkSource(source, origin.file, origin.line, [], new Scope(), true);
  return walker.result();
}

class Walker {
  private readonly variables = new Map<string, { name: string; file: string; line: number }>();
  /** Names guarded by `is defined` somewhere: optional, so never required of a case. */
  private readonly guarded = new Set<string>();
  private readonly files = new Set<string>();
  private readonly problems: TemplateProblem[] = [];
  private readonly parsed = new Map<string, AstNode | undefined>();

  // Per walked source: the file and the line its first line is on, and the include chain.
  private file = '';
  private firstLine = 1;
  private chain: string[] = [];
  private collectVariables = true;

  constructor(private readonly resolve: TemplateResolver) {}

  result(): TemplateAnalysis {
    const seen = new Set<string>();
    return {
      variables: [...this.variables.values()].filter((v) => !this.guarded.has(v.name)),
      files: [...this.files].sort(),
      problems: this.problems.filter((p) => {
        const key = `${p.file}\0${p.line}\0${p.message}`;
        return !seen.has(key) && !!seen.add(key);
      }),
    };
  }

  walkSource(source: string, file: string, firstLine: number, chain: string[], scope: Scope, collectVariables: boolean): void {
    const ast = this.parse(source, file, firstLine);
    if (!ast) return;
    const saved = [this.file, this.firstLine, this.chain, this.collectVariables] as const;
    [this.file, this.firstLine, this.chain, this.collectVariables] = [file, firstLine, chain, collectVariables];
    this.walk(ast, scope);
    [this.file, this.firstLine, this.chain, this.collectVariables] = saved;
  }

  private parse(source: string, file: string, firstLine: number): AstNode | undefined {
    const key = `${file}\0${firstLine}\0${source}`;
    if (!this.parsed.has(key)) {
      try {
        this.parsed.set(key, parser.parse(source));
      } catch (error) {
        const { lineno } = error as { lineno?: number };
        this.problems.push({
          message: `Template syntax error: ${(error as Error).message.replace(/\s+/g, ' ').trim()}. Fix the nunjucks syntax: every {{ needs its }}, every {% if %} / {% for %} its {% endif %} / {% endfor %}.`,
          file,
          line: firstLine + (lineno ?? 1) - 1,
        });
        this.parsed.set(key, undefined);
      }
    }
    return this.parsed.get(key);
  }

  private line(node: AstNode): number {
    return this.firstLine + node.lineno;
  }

  private walk(node: AstNode, scope: Scope): void {
    switch (node.typename) {
      case 'Symbol':
        return this.use(node, scope);
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll':
        return this.walkFor(node, scope);
      case 'Set':
        return this.walkSet(node, scope);
      case 'Macro':
        this.bind(node['name'], scope);
        return this.walkMacro(node, scope);
      case 'Caller':
        return this.walkMacro(node, scope);
      case 'Filter':
      case 'FilterAsync':
        return this.walkFilter(node, scope);
      case 'Is':
        return this.walkIs(node, scope);
      case 'Pair':
        // Dict keys and keyword-argument names are written as symbols but are not variables.
        if (!(isNode(node['key']) && node['key'].typename === 'Symbol')) this.walkField(node['key'], scope);
        return this.walkField(node['value'], scope);
      case 'Include':
        return this.walkTemplateRef(node, scope.child(), this.collectVariables, node['ignoreMissing'] === true);
      case 'Extends':
        return this.walkTemplateRef(node, scope.child(), this.collectVariables, false);
      case 'Import':
        this.walkTemplateRef(node, new Scope(), this.collectVariables && node['withContext'] === true, false);
        return this.bind(node['target'], scope);
      case 'FromImport':
        this.walkTemplateRef(node, new Scope(), this.collectVariables && node['withContext'] === true, false);
        for (const name of children(node['names'] as AstNode)) this.bind(name.typename === 'Pair' ? name['value'] : name, scope);
        return;
      case 'Block':
        return this.walkField(node['body'], scope);
      case 'Super':
        return;
      default:
        for (const field of node.fields) this.walkField(node[field], scope);
    }
  }

  private walkField(value: unknown, scope: Scope): void {
    if (isNode(value)) this.walk(value, scope);
    else if (Array.isArray(value)) for (const item of value) this.walkField(item, scope);
  }

  private use(node: AstNode, scope: Scope): void {
    const name = node['value'] as string;
    if (!this.collectVariables || scope.has(name) || GLOBALS.has(name) || this.variables.has(name)) return;
    this.variables.set(name, { name, file: this.file, line: this.line(node) });
  }

  private bind(target: unknown, scope: Scope): void {
    if (isNode(target) && target.typename === 'Symbol') scope.bind(target['value'] as string);
    else if (isNode(target)) for (const item of children(target)) this.bind(item, scope);
  }

  private walkFor(node: AstNode, scope: Scope): void {
    this.walkField(node['arr'], scope);
    const body = scope.child();
    this.bind(node['name'], body);
    this.walkField(node['body'], body);
    this.walkField(node['else_'], scope);
  }

  private walkSet(node: AstNode, scope: Scope): void {
    // The value is read before the targets exist: `{% set x = x + 1 %}` reads the outer x.
    this.walkField(node['value'], scope);
    this.walkField(node['body'], scope);
    for (const target of node['targets'] as unknown[]) this.bind(target, scope);
  }

  private walkMacro(node: AstNode, scope: Scope): void {
    const body = scope.child();
    for (const arg of children(node['args'] as AstNode)) {
      if (arg.typename === 'KeywordArgs') {
        for (const pair of children(arg)) {
          this.walkField(pair['value'], scope);
          this.bind(pair['key'], body);
        }
      } else this.bind(arg, body);
    }
    this.walkField(node['body'], body);
  }

  private walkFilter(node: AstNode, scope: Scope): void {
    // The filter's name is not a variable; its input and arguments are.
    const [input, ...args] = children(node['args'] as AstNode);
    const name = (node['name'] as AstNode)['value'] as string;
    const optionalInput = DEFAULT_FILTERS.has(name) && input?.typename === 'Symbol';
    if (input && !optionalInput) this.walk(input, scope);
    for (const arg of args) this.walk(arg, scope);
  }

  private walkIs(node: AstNode, scope: Scope): void {
    const left = node['left'];
    const test = node['right'] as AstNode;
    const testName = (test.typename === 'FunCall' ? (test['name'] as AstNode) : test)['value'];
    if (isNode(left) && left.typename === 'Symbol' && PRESENCE_TESTS.has(testName as string)) {
      this.guarded.add(left['value'] as string);
    } else this.walkField(left, scope);
    if (test.typename === 'FunCall') this.walkField(test['args'], scope);
  }

  private walkTemplateRef(node: AstNode, scope: Scope, collectVariables: boolean, ignoreMissing: boolean): void {
    const nameNode = node['template'];
    const line = this.line(node);
    if (!(isNode(nameNode) && nameNode.typename === 'Literal' && typeof nameNode['value'] === 'string')) {
      this.walkField(nameNode, scope);
      this.problems.push({
        message: 'Template name is not a literal string: promptgate cannot tell which file it loads. Write the path in quotes.',
        file: this.file,
        line,
      });
      return;
    }
    const name = nameNode['value'] as string;
    const found = this.resolve(name);
    if (!found) {
      if (!ignoreMissing) {
        this.problems.push({
          message: `Template "${name}" not found (looked relative to the prompt file, then the repo root): create that file, or fix the path in the include.`,
          file: this.file,
          line,
        });
      }
      return;
    }
    this.files.add(found.path);
    if (this.chain.includes(found.path)) {
      const cycle = [...this.chain.slice(this.chain.indexOf(found.path)), found.path].join(' → ');
      this.problems.push({ message: `Template include cycle: ${cycle}. Remove one of these includes.`, file: this.file, line });
      return;
    }
    this.walkSource(found.text, found.path, 1, [...this.chain, found.path], scope, collectVariables);
  }
}
