// Facts from a repository's Python modules, read with tree-sitter's Python grammar (through
// web-tree-sitter, WebAssembly): the code is parsed, never run, and no regular expression looks at
// its structure. The parser loads on the first read, once per process; start-up never pays for it.
import { fileURLToPath } from 'node:url';
import type { Node, Parser, Query } from 'web-tree-sitter';
import { loadWebTreeSitter } from './load-web-tree-sitter.js';

/** What a module says at its top level (outside any `def` or `class`), as written. */
export interface PythonModule {
  /**
   * Imports at module level, in order: `import x.y` gives `{ module: 'x.y', names: [], level: 0 }`
   * (one entry per name of `import a, b`); `from ..pkg import a, b as c` gives
   * `{ module: '..pkg', names: ['a', 'b'], level: 2 }` (the module as written, its leading dots
   * kept; the names imported, not their aliases); a star import's names are `['*']`.
   */
  imports: Array<{ module: string; names: string[]; level: number }>;
  /** Functions defined at module level (`def`, `async def`, decorated or not), with how many of their parameters have no default. */
  functions: Array<{ name: string; requiredParameters: number }>;
  /**
   * `NAME = value` and `NAME: T = value` at module level (also `A = B = value`), each value
   * evaluated statically; the last one in the text wins, and `NAME += value` extends a list or
   * string it knows, else makes the name dynamic.
   */
  assignments: Map<string, PythonValue>;
  /** `from .base import *` / `from x.y import *` at module level, in order: the module as written (leading dots kept), `level` the number of dots. */
  starImports: Array<{ module: string; level: number }>;
  /** `os.environ.setdefault("KEY", "value")` anywhere in the module (also `environ.setdefault` after `from os import environ`): KEY to value, string literals only. */
  environmentDefaults: Map<string, string>;
  /** Calls made as statements at module level (`setup(name="shop", ...)`), in order: the callee as written and each keyword argument's value, evaluated statically. */
  calls: Array<{ callee: string; keywords: Map<string, PythonValue> }>;
  /** Whether the module has `if __name__ == "__main__":` at module level. */
  mainGuard: boolean;
  /** Whether the parser met syntax errors: it recovers and reads on, so facts from such a module may be wrong. */
  hasErrors: boolean;
}

/**
 * A value as the source writes it, evaluated without running anything.
 * - `string`: string literals, implicitly concatenated or joined with `+` (f-strings without fields too; bytes are dynamic).
 * - `list`: a list or tuple literal.
 * - `file-dir`: a folder relative to the module's own file: `up` folders above the folder the file
 *   is in (0: that folder), then `parts` joined with `/` (`..` for a parent taken after a part).
 *   `Path(__file__).resolve().parent.parent` and
 *   `os.path.dirname(os.path.dirname(os.path.abspath(__file__)))` and django-environ's
 *   `environ.Path(__file__) - 2` are `{ up: 1, parts: [] }`.
 * - `path`: a path built from a module-level variable: `BASE_DIR / "static"`,
 *   `os.path.join(BASE_DIR, "static")`, `Path(BASE_DIR, "static")`, `BASE_DIR.joinpath("static")`
 *   are `{ base: 'BASE_DIR', parts: ['static'] }` (the variable's own value is the caller's to
 *   look up: it may come from a star import); `.parent` and `os.path.dirname` add `..`.
 * - `call`: any other call, with its callee as written (`Flask`, `app.factory.create_app`) and
 *   each argument's source text (`static_folder="s"` for a keyword argument); `imported`, when an
 *   import names the callee's first name otherwise, is the callee through that import: `shop.create_app` for
 *   `create_app()` after `from shop import create_app`, `.factory.make_app` after
 *   `from .factory import make_app`, `flask.Flask` for `F()` after `from flask import Flask as F`.
 * - `dynamic`: anything else: names, environment lookups (`os.environ.get`, `os.getenv`,
 *   `os.environ[...]`), f-strings with fields, operators; with its source text.
 */
export type PythonValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list'; items: PythonValue[] }
  | { kind: 'file-dir'; up: number; parts: string[] }
  | { kind: 'path'; base: string; parts: string[] }
  | { kind: 'call'; callee: string; arguments: string[]; imported?: string }
  /** `os.environ.get("NAME", fallback)` / `os.getenv("NAME", fallback)`: the fallback holds unless the environment sets NAME. */
  | { kind: 'environment'; variable: string; fallback: PythonValue }
  | { kind: 'dynamic'; source: string };

/** The largest text read (callers read files with this bound). */
export const maxPythonSourceLength = 4 * 1024 * 1024;

/** A module too long, or too slow to parse and read (a generated or hostile one), is not read. */
export class PythonSourceLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonSourceLimitError';
  }
}

export interface ReadPythonOptions {
  /**
   * How long parsing and reading may take, in milliseconds (default 3,000). A 3,000-line settings
   * module takes tens of milliseconds; four megabytes of nonsense, many seconds.
   */
  timeLimitMs?: number;
}

// Set by scripts/bundle.mjs: a bundle carries the grammar under package-files/ beside it.
declare const __pyrepoBundle: boolean | undefined;

interface PythonReader {
  parser: Parser;
  /** `<anything>.setdefault(...)` calls, found by tree-sitter itself rather than by walking every node here. */
  setdefaultCalls: Query;
}

let reader: Promise<PythonReader> | undefined;

/** The parser, with Python's grammar: created on first use, once per process. */
function pythonReader(): Promise<PythonReader> {
  reader ??= (async () => {
    const { Parser, Language, Query } = await loadWebTreeSitter();
    // web-tree-sitter finds its own runtime (web-tree-sitter.wasm) beside its code.
    await Parser.init();
    const grammar =
      typeof __pyrepoBundle === 'undefined'
        ? fileURLToPath(import.meta.resolve('tree-sitter-python/tree-sitter-python.wasm'))
        : fileURLToPath(new URL('./package-files/tree-sitter-python/tree-sitter-python.wasm', import.meta.url));
    const language = await Language.load(grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    const setdefaultCalls = new Query(language, '(call function: (attribute attribute: (identifier) @method (#eq? @method "setdefault"))) @call');
    return { parser, setdefaultCalls };
  })();
  // A failed load is not kept: the next read tries again (and fails the same way, with the error).
  reader.catch(() => (reader = undefined));
  return reader;
}

/**
 * Read a Python module's text without running it. Throws PythonSourceLimitError for a text of more
 * than `maxPythonSourceLength` characters, or when parsing and reading take longer than
 * `options.timeLimitMs`.
 */
export async function readPythonModule(text: string, options: ReadPythonOptions = {}): Promise<PythonModule> {
  if (text.length > maxPythonSourceLength) throw new PythonSourceLimitError(`The module has ${text.length} characters, more than the ${maxPythonSourceLength} pyrepo reads.`);
  const { parser, setdefaultCalls } = await pythonReader();
  const timeLimitMs = options.timeLimitMs ?? 3000;
  const deadline = performance.now() + timeLimitMs;
  const overTime = () => new PythonSourceLimitError(`Parsing and reading the module took more than ${timeLimitMs} ms: it was not read.`);
  // tree-sitter asks this callback as it goes: true stops it.
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    // A cancelled parse would otherwise go on with the next text.
    parser.reset();
    throw overTime();
  }
  try {
    const calls = setdefaultCalls.captures(tree.rootNode).flatMap(capture => (capture.name === 'call' ? [capture.node] : []));
    const module = new ModuleReader(tree.rootNode, () => performance.now() > deadline).read(calls);
    if (!module) throw overTime();
    return module;
  } finally {
    tree.delete();
  }
}

/** Statements that hold module-level statements in their blocks (not def or class). */
const compoundStatements = new Set(['if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'except_group_clause', 'finally_clause', 'with_statement', 'for_statement', 'while_statement', 'block']);
/** Deeper expressions than this are dynamic: evaluating them would recurse once per level. */
const maxDepth = 64;
/** Calls whose result is their only argument's path (names as imported: `abspath` from os.path is `os.path.abspath`). */
const samePath = new Set(['os.path.abspath', 'os.path.realpath', 'os.path.normpath', 'os.fspath', 'str']);
/** Path classes: `Path(base, "a", "b")` joins; a bare `Path` may come from a star import. */
const pathConstructors = new Set(['pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'Path', 'environ.Path']);
/** Methods of a path that return the same path. */
const samePathMethods = new Set(['resolve', 'absolute', 'expanduser']);
/** Calls that look up the environment: their values are dynamic. */
const environmentLookups = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault', 'os.environ.pop']);

class ModuleReader {
  readonly #root: Node;
  /** Local names bound by imports to what they stand for: `osp` to `os.path`, `Path` to `pathlib.Path`, `app` to `.app` for `from . import app`. */
  readonly #aliases = new Map<string, string>();
  readonly #result: PythonModule;
  readonly #overTime: () => boolean;

  constructor(root: Node, overTime: () => boolean) {
    this.#root = root;
    this.#overTime = overTime;
    this.#result = { imports: [], functions: [], assignments: new Map(), starImports: [], environmentDefaults: new Map(), calls: [], mainGuard: false, hasErrors: root.hasError };
  }

  /** The module's facts (undefined when over time); `setdefaultCalls`: its `x.setdefault(...)` calls, wherever they are. */
  read(setdefaultCalls: Node[]): PythonModule | undefined {
    // Module-level statements, depth first in text order, through if/try/with/for/while blocks.
    const pending: Node[] = [...this.#root.namedChildren].reverse();
    let statements = 0;
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (++statements % 1024 === 0 && this.#overTime()) return undefined;
      switch (node.type) {
        case 'import_statement':
        case 'import_from_statement':
        case 'future_import_statement':
          this.#import(node);
          break;
        case 'function_definition':
          this.#function(node);
          break;
        case 'decorated_definition': {
          const definition = node.childForFieldName('definition');
          if (definition?.type === 'function_definition') this.#function(definition);
          break;
        }
        case 'expression_statement':
          for (const expression of node.namedChildren) {
            if (expression.type === 'call') this.#statementCall(expression);
            else this.#assignment(expression);
          }
          break;
        default:
          if (compoundStatements.has(node.type)) pending.push(...[...node.namedChildren].reverse());
      }
    }
    this.#result.mainGuard = this.#root.namedChildren.some(node => node.type === 'if_statement' && isMainCheck(node.childForFieldName('condition')));
    for (const call of setdefaultCalls) this.#environmentDefault(call);
    return this.#result;
  }

  #statementCall(node: Node): void {
    const callee = node.childForFieldName('function');
    if (!callee) return;
    const keywords = new Map<string, PythonValue>();
    for (const argument of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (argument.type !== 'keyword_argument') continue;
      const name = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (name && value) keywords.set(name, this.#value(value, 1));
    }
    this.#result.calls.push({ callee: callee.text, keywords });
  }

  #import(node: Node): void {
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        const module = (name.type === 'aliased_import' ? name.childForFieldName('name') : name)?.text ?? '';
        const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : undefined;
        if (alias) this.#aliases.set(alias, module);
        this.#result.imports.push({ module, names: [], level: 0 });
      }
      return;
    }
    const moduleNode = node.type === 'future_import_statement' ? undefined : node.childForFieldName('module_name');
    const module = moduleNode?.text ?? '__future__';
    const level = moduleNode?.type === 'relative_import' ? (moduleNode.namedChildren.find(child => child.type === 'import_prefix')?.text.length ?? 0) : 0;
    if (node.namedChildren.some(child => child.type === 'wildcard_import')) {
      this.#result.imports.push({ module, names: ['*'], level });
      this.#result.starImports.push({ module, level });
      return;
    }
    const names: string[] = [];
    for (const name of node.childrenForFieldName('name')) {
      const imported = (name.type === 'aliased_import' ? name.childForFieldName('name') : name)?.text ?? '';
      const local = name.type === 'aliased_import' ? (name.childForFieldName('alias')?.text ?? imported) : imported;
      names.push(imported);
      this.#aliases.set(local, module.endsWith('.') ? `${module}${imported}` : `${module}.${imported}`);
    }
    this.#result.imports.push({ module, names, level });
  }

  #function(node: Node): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const parameters = node.childForFieldName('parameters')?.namedChildren ?? [];
    const requiredParameters = parameters.filter(parameter => parameter.type === 'identifier' || parameter.type === 'typed_parameter' && parameter.namedChildren[0]?.type === 'identifier').length;
    this.#result.functions.push({ name, requiredParameters });
  }

  #assignment(node: Node): void {
    if (node.type === 'augmented_assignment') {
      const name = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (name?.type !== 'identifier' || !right) return;
      const before = this.#result.assignments.get(name.text);
      const added = this.#value(right, 0);
      const operator = node.childForFieldName('operator')?.type;
      let value: PythonValue = { kind: 'dynamic', source: node.text };
      if (operator === '+=' && before?.kind === 'list' && added.kind === 'list') value = { kind: 'list', items: [...before.items, ...added.items] };
      if (operator === '+=' && before?.kind === 'string' && added.kind === 'string') value = { kind: 'string', value: before.value + added.value };
      this.#result.assignments.set(name.text, value);
      return;
    }
    if (node.type !== 'assignment') return;
    // A = B = value: the value is the innermost right side.
    const names: Node[] = [];
    let value: Node | null = node;
    while (value?.type === 'assignment') {
      const left = value.childForFieldName('left');
      if (left) names.push(left);
      value = value.childForFieldName('right');
    }
    if (!value) return; // NAME: T, declared without a value
    const evaluated = this.#value(value, 0);
    for (const name of names) if (name.type === 'identifier') this.#result.assignments.set(name.text, evaluated);
  }

  #environmentDefault(call: Node): void {
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'attribute' || this.#canonical(callee) !== 'os.environ.setdefault') return;
    const [key, value, ...rest] = call.childForFieldName('arguments')?.namedChildren ?? [];
    if (!key || !value || rest.length > 0) return;
    const keyValue = this.#value(key, 0);
    const defaultValue = this.#value(value, 0);
    if (keyValue.kind === 'string' && defaultValue.kind === 'string') this.#result.environmentDefaults.set(keyValue.value, defaultValue.value);
  }

  /** A dotted name (`osp.join`) as what it stands for after imports (`os.path.join`); undefined for anything else. */
  #canonical(node: Node): string | undefined {
    if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
    const parts: string[] = [];
    let current: Node | null = node;
    while (current?.type === 'attribute') {
      const attribute = current.childForFieldName('attribute');
      if (!attribute) return undefined;
      parts.unshift(attribute.text);
      current = current.childForFieldName('object');
    }
    if (current?.type !== 'identifier') return undefined;
    parts.unshift(this.#aliases.get(current.text) ?? current.text);
    return parts.join('.');
  }

  #value(node: Node, depth: number): PythonValue {
    const dynamic = (): PythonValue => ({ kind: 'dynamic', source: node.text });
    if (depth > maxDepth) return dynamic();
    switch (node.type) {
      case 'string':
      case 'concatenated_string': {
        const value = stringValue(node);
        return value === undefined ? dynamic() : { kind: 'string', value };
      }
      case 'integer':
      case 'float': {
        const value = numberValue(node.text);
        return value === undefined ? dynamic() : { kind: 'number', value };
      }
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true' };
      case 'none':
        return { kind: 'none' };
      case 'unary_operator': {
        const argument = node.childForFieldName('argument');
        const operand = argument ? this.#value(argument, depth + 1) : dynamic();
        const operator = node.childForFieldName('operator')?.type;
        if (operand.kind !== 'number' || (operator !== '-' && operator !== '+')) return dynamic();
        return { kind: 'number', value: operator === '-' ? -operand.value : operand.value };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren.filter(child => child.type !== 'comment');
        return inner.length === 1 ? this.#value(inner[0]!, depth + 1) : dynamic();
      }
      case 'list':
      case 'tuple':
        return { kind: 'list', items: node.namedChildren.filter(child => child.type !== 'comment').map(child => this.#value(child, depth + 1)) };
      case 'binary_operator':
        return this.#operator(node, depth) ?? dynamic();
      case 'attribute':
      case 'subscript':
      case 'call':
        return this.#path(node, depth) ?? (node.type === 'call' ? this.#call(node, depth) : dynamic());
      default:
        return dynamic();
    }
  }

  #operator(node: Node, depth: number): PythonValue | undefined {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.type;
    if (!left || !right) return undefined;
    if (operator === '+') {
      const [a, b] = [this.#value(left, depth + 1), this.#value(right, depth + 1)];
      return a.kind === 'string' && b.kind === 'string' ? { kind: 'string', value: a.value + b.value } : undefined;
    }
    return operator === '/' || operator === '-' ? this.#path(node, depth) : undefined;
  }

  #call(node: Node, depth: number): PythonValue {
    const callee = node.childForFieldName('function');
    const dotted = callee && this.#canonical(callee);
    const args = node.childForFieldName('arguments')?.namedChildren.filter(child => child.type !== 'comment') ?? [];
    if (dotted && (dotted === 'os.getenv' || dotted === 'os.environ.get') && args.length === 2 && args.every(argument => argument.type !== 'keyword_argument')) {
      const variable = this.#value(args[0]!, depth + 1);
      if (variable.kind === 'string') return { kind: 'environment', variable: variable.value, fallback: this.#value(args[1]!, depth + 1) };
    }
    if (!callee || !dotted || environmentLookups.has(dotted)) return { kind: 'dynamic', source: node.text };
    const call: PythonValue = { kind: 'call', callee: callee.text, arguments: args.map(argument => argument.text) };
    return dotted === callee.text ? call : { ...call, imported: dotted };
  }

  /** A path built from `__file__` or from a module-level variable, or undefined when `node` is none. */
  #path(node: Node, depth: number): PythonValue | undefined {
    const start = this.#pathStart(node, depth);
    if (!start) return undefined;
    if (start.kind === 'file') return start.ups >= 1 ? { kind: 'file-dir', up: start.ups - 1, parts: start.parts } : undefined;
    return { kind: 'path', base: start.base, parts: start.parts };
  }

  /** Where a path expression starts and what it adds: parents of the file (`ups`), then parts. */
  #pathStart(node: Node, depth: number): PathTrace | undefined {
    if (depth > maxDepth) return undefined;
    const deeper = (child: Node | null) => (child ? this.#pathStart(child, depth + 1) : undefined);
    switch (node.type) {
      case 'identifier':
        if (node.text === '__file__') return { kind: 'file', ups: 0, parts: [] };
        return { kind: 'name', base: node.text, parts: [] };
      case 'parenthesized_expression':
        return node.namedChildren.length === 1 ? deeper(node.namedChildren[0]!) : undefined;
      case 'binary_operator': {
        const operator = node.childForFieldName('operator')?.type;
        const right = node.childForFieldName('right');
        // django-environ: environ.Path(__file__) - 2 is two folders up from the file.
        const left = node.childForFieldName('left');
        if (operator === '-' && left?.type === 'call' && right?.type === 'integer') {
          const callee = left.childForFieldName('function');
          const n = numberValue(right.text);
          const base = callee && this.#canonical(callee) === 'environ.Path' ? deeper(left.childForFieldName('arguments')?.namedChildren[0] ?? null) : undefined;
          return base && n !== undefined ? parentOf(base, n) : undefined;
        }
        if (operator !== '/') return undefined;
        const part = right && this.#value(right, depth + 1);
        const base = deeper(node.childForFieldName('left'));
        return base && part?.kind === 'string' ? withParts(base, [part.value]) : undefined;
      }
      case 'attribute': {
        // path.parent
        if (node.childForFieldName('attribute')?.text !== 'parent') return undefined;
        const base = deeper(node.childForFieldName('object'));
        return base && parentOf(base, 1);
      }
      case 'subscript': {
        // path.parents[n]
        const value = node.childForFieldName('value');
        const index = node.childForFieldName('subscript');
        if (value?.type !== 'attribute' || value.childForFieldName('attribute')?.text !== 'parents' || index?.type !== 'integer') return undefined;
        const base = deeper(value.childForFieldName('object'));
        const n = numberValue(index.text);
        return base && n !== undefined && Number.isInteger(n) ? parentOf(base, n + 1) : undefined;
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        if (!callee) return undefined;
        const args = node.childForFieldName('arguments')?.namedChildren.filter(child => child.type !== 'comment') ?? [];
        // Arguments that are all positional: the path parts (a keyword argument, *args or **kwargs is not).
        const positional = args.every(argument => argument.type !== 'keyword_argument' && argument.type !== 'list_splat' && argument.type !== 'dictionary_splat');
        const strings = (nodes: Node[]) => {
          const values = nodes.map(argument => this.#value(argument, depth + 1));
          return positional && values.every(value => value.kind === 'string') ? values.map(value => (value as { value: string }).value) : undefined;
        };
        const dotted = this.#canonical(callee);
        // os.path.join(base, "a", "b"), Path(base, "a"), os.path.abspath(base)
        if (dotted === 'os.path.join' || pathConstructors.has(dotted ?? '') || samePath.has(dotted ?? '')) {
          const [first, ...rest] = args;
          const base = deeper(first ?? null);
          const parts = strings(rest);
          if (!base || !parts || (samePath.has(dotted ?? '') && rest.length > 0)) return undefined;
          return withParts(base, parts);
        }
        if (dotted === 'os.path.dirname' && args.length === 1) {
          const base = deeper(args[0]!);
          return base && parentOf(base, 1);
        }
        if (callee.type !== 'attribute') return undefined;
        // path.resolve(strict=True) is the same path; path.joinpath("a", "b") adds parts.
        const method = callee.childForFieldName('attribute')?.text ?? '';
        const base = samePathMethods.has(method) || method === 'joinpath' ? deeper(callee.childForFieldName('object')) : undefined;
        if (!base || samePathMethods.has(method)) return base;
        const parts = strings(args);
        return parts && withParts(base, parts);
      }
      default:
        return undefined;
    }
  }
}

type PathTrace = { kind: 'file'; ups: number; parts: string[] } | { kind: 'name'; base: string; parts: string[] };

function withParts(trace: PathTrace, parts: string[]): PathTrace {
  return { ...trace, parts: [...trace.parts, ...parts] };
}

/** `n` parents up: of the file first (while no part is added), else `..` parts. */
function parentOf(trace: PathTrace, n: number): PathTrace {
  if (trace.kind === 'file' && trace.parts.length === 0) return { ...trace, ups: trace.ups + n };
  return withParts(trace, Array<string>(n).fill('..'));
}

/** `__name__ == "__main__"`, either way round. */
function isMainCheck(condition: Node | null): boolean {
  if (condition?.type !== 'comparison_operator' || condition.namedChildren.length !== 2) return false;
  if (condition.children.filter(child => !child.isNamed).map(child => child.type).join(' ') !== '==') return false;
  const texts = condition.namedChildren.map(child => (child.type === 'identifier' ? child.text : stringValue(child)));
  return texts.includes('__name__') && texts.includes('__main__') && condition.namedChildren.some(child => child.type === 'identifier');
}

/** The value of a string literal or of implicitly concatenated ones; undefined for bytes and f-strings with fields. */
function stringValue(node: Node): string | undefined {
  if (node.type === 'concatenated_string') {
    let joined = '';
    for (const part of node.namedChildren) {
      if (part.type === 'comment') continue;
      const value = stringValue(part);
      if (value === undefined) return undefined;
      joined += value;
    }
    return joined;
  }
  if (node.type !== 'string') return undefined;
  const prefix = (node.namedChildren.find(child => child.type === 'string_start')?.text ?? '').replace(/["']+$/, '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  let value = '';
  for (const child of node.namedChildren) {
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content') value += prefix.includes('r') ? child.text : unescape(child.text);
  }
  return value;
}

const simpleEscapes: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

/** Python's escape sequences in a (not raw) string's content. */
function unescape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== '\\' || i + 1 >= text.length) {
      out += char;
      continue;
    }
    const next = text[i + 1]!;
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (next in simpleEscapes) {
      out += simpleEscapes[next];
      i += 1;
    } else if (hexLength > 0 && /^[0-9a-fA-F]+$/.test(text.slice(i + 2, i + 2 + hexLength)) && text.length >= i + 2 + hexLength) {
      out += String.fromCodePoint(Number.parseInt(text.slice(i + 2, i + 2 + hexLength), 16));
      i += 1 + hexLength;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      out += String.fromCodePoint(Number.parseInt(digits, 8));
      i += digits.length;
    } else {
      // An unknown escape (\d, \N{...}) stays as written, as Python keeps the former.
      out += char;
    }
  }
  return out;
}

/** A Python integer or float literal's value (underscores, 0x/0o/0b); undefined for imaginary numbers. */
function numberValue(text: string): number | undefined {
  const plain = text.replaceAll('_', '').toLowerCase();
  if (plain.endsWith('j')) return undefined;
  if (/^0[xob]/.test(plain)) return Number(plain);
  const value = Number(plain.endsWith('l') ? plain.slice(0, -1) : plain);
  return Number.isNaN(value) ? undefined : value;
}
