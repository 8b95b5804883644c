import { parseDocument, patch } from '@decimalturn/toml-patch';
import { parse } from 'smol-toml';
import { isPlainObject } from '../json.js';
import { conflictBlock, mergeLines, mergeRegions, withoutEach, type MergedLines, type MergeLabels } from './lines.js';
import { mergeRequirementPieces } from './requirements.js';

type Table = Record<string, unknown>;
/** A key one side does not have. */
const absent = Symbol('absent');
type Value = unknown;

function parsed(lines: readonly string[]): Table | undefined {
  try {
    return parse(lines.join('\n')) as Table;
  } catch {
    return undefined;
  }
}

/** Equal TOML values: tables by their keys in any order (smol-toml's have no prototype), dates by what they say. */
function same(a: Value, b: Value): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => same(item, b[index]));
  if (isTable(a) && isTable(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(key => key in b && same(a[key], b[key]));
  }
  return false;
}

function isTable(value: Value): value is Table {
  return isPlainObject(value) && !(value instanceof Date);
}

const at = (table: Value, key: string): Value => (isTable(table) && Object.hasOwn(table, key) ? table[key] : absent);

/** Arrays of PEP 508 requirements: merged by project, like requirements files. */
const dependencyArrays = [['project', 'dependencies'], ['project', 'optional-dependencies', '*'], ['dependency-groups', '*'], ['build-system', 'requires'], ['tool', 'uv', 'dev-dependencies']];
const isDependencyArray = (path: readonly string[]) => dependencyArrays.some(pattern => pattern.length === path.length && pattern.every((key, index) => key === '*' || key === path[index]));

/**
 * The key-by-key three-way merge of parsed TOML: the rules of mergeThreeWay per key, tables
 * recursively, arrays element by element (requirements by project). A key both sides changed
 * differently keeps yours and is reported; one you removed stays removed.
 */
function mergeValue(mine: Value, old: Value, next: Value, path: string[], conflicts: string[][]): Value {
  if (same(mine, next)) return mine;
  if (same(mine, old)) return next;
  if (same(next, old)) return mine;
  if (mine === absent) return absent;
  if (isTable(mine) && (next === absent || isTable(next)) && (old === absent || isTable(old))) {
    const keys = [...Object.keys(mine), ...(next === absent ? [] : Object.keys(next).filter(key => !Object.hasOwn(mine, key)))];
    const table: Table = {};
    for (const key of keys) {
      const value = mergeValue(at(mine, key), at(old, key), at(next, key), [...path, key], conflicts);
      if (value !== absent) table[key] = value;
    }
    return next === absent && Object.keys(table).length === 0 ? absent : table;
  }
  if (Array.isArray(mine) && Array.isArray(next) && (old === absent || Array.isArray(old))) {
    const merged = mergeArray(mine, old === absent ? [] : (old as Value[]), next, path);
    if (merged) return merged;
  }
  conflicts.push(path);
  return mine;
}

function mergeArray(mine: Value[], old: Value[], next: Value[], path: string[]): Value[] | undefined {
  const strings = (items: Value[]): items is string[] => items.every(item => typeof item === 'string');
  if (isDependencyArray(path) && strings(mine) && strings(old) && strings(next)) {
    const pieces = mergeRequirementPieces(mine, old, next);
    return pieces?.every(piece => 'line' in piece) ? pieces.map(piece => piece.line) : undefined;
  }
  const byToken = new Map<string, Value>();
  const tokens = (items: Value[]) =>
    items.map(item => {
      const token = JSON.stringify(item, (_key, value: Value) => (typeof value === 'bigint' ? `${value}n` : value)) ?? 'undefined';
      byToken.set(token, item);
      return token;
    });
  const merged: Value[] = [];
  for (const region of mergeRegions(tokens(mine), tokens(old), tokens(next))) {
    if (!('ok' in region)) return undefined;
    merged.push(...region.ok.map(token => byToken.get(token)));
  }
  return merged;
}

/**
 * TOML files (pyproject.toml, Pipfile) merged by key: what each side changed is applied, the
 * text keeps your layout and comments, and the result parses to the key-by-key merge (checked).
 * Keys both sides changed differently are conflicts around their lines. Not TOML on one side:
 * merged line by line.
 */
export function mergeTomlLines(yours: string[], base: string[], theirs: string[], labels: MergeLabels): MergedLines {
  const [mine, old, next] = [parsed(yours), parsed(base), parsed(theirs)];
  if (!mine || !old || !next) return mergeLines(yours, base, theirs, labels);
  const conflictPaths: string[][] = [];
  const mergedValue = mergeValue(mine, old, next, [], conflictPaths);
  const merged = (mergedValue === absent ? {} : mergedValue) as Table;
  const lines = layoutOf(merged, yours, base, theirs);
  if (lines === undefined) return wholeFileConflict(yours, base, theirs, labels);
  if (conflictPaths.length === 0) return { lines, conflicts: 0 };
  return markConflicts(lines, conflictPaths, { yours: merged, base: old, theirs: next }, base, theirs, labels) ?? wholeFileConflict(yours, base, theirs, labels);
}

/**
 * A text of yours that says `merged`: the line merge with both sides' changes where that is
 * enough, else toml-patch's edit of yours (~40 ms a call, so last); undefined if none says it.
 */
function layoutOf(merged: Table, yours: string[], base: string[], theirs: string[]): string[] | undefined {
  const says = (lines: string[]) => {
    const value = parsed(lines);
    return value !== undefined && same(value, merged);
  };
  const regions = mergeRegions(yours, base, theirs);
  const keepingYours = regions.flatMap(region => ('ok' in region ? region.ok : region.conflict.yours));
  if (says(keepingYours)) return keepingYours;
  const withBoth = regions.flatMap(region =>
    'ok' in region ? region.ok : [...withoutEach(region.conflict.yours, withoutEach(region.conflict.base, region.conflict.theirs)), ...withoutEach(withoutEach(region.conflict.theirs, region.conflict.base), region.conflict.yours)],
  );
  if (says(withBoth)) return withBoth;
  try {
    const text = patch(yours.join('\n') + '\n', merged);
    const patched = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
    return says(patched) ? patched : undefined;
  } catch {
    return undefined;
  }
}

function wholeFileConflict(yours: string[], base: string[], theirs: string[], labels: MergeLabels): MergedLines {
  return { lines: conflictBlock({ yours, base, theirs }, labels), conflicts: 1 };
}

/** Where a key is written: 1-based first and last line. */
interface Span {
  path: string[];
  start: number;
  end: number;
  /** A table's header and rows, rather than a key's line(s). */
  table: boolean;
}

interface CstNode {
  type: string;
  loc: { start: { line: number }; end: { line: number } };
  key: { value: string[]; item: { value: string[] } };
  items?: CstNode[];
}

/** Where each key and table of a TOML text is written, read from toml-patch's syntax tree. */
function spansOf(lines: readonly string[]): Span[] | undefined {
  let blocks: unknown;
  try {
    blocks = parseDocument(lines.join('\n')).cst;
  } catch {
    return undefined;
  }
  if (!Array.isArray(blocks)) return undefined;
  const spans: Span[] = [];
  const spanOf = (node: CstNode, path: string[], table: boolean) => ({ path, start: node.loc.start.line, end: node.loc.end.line, table });
  for (const block of blocks as CstNode[]) {
    if (block.type === 'KeyValue') spans.push(spanOf(block, block.key.value, false));
    else if (block.type === 'Table' || block.type === 'TableArray') {
      const prefix = block.key.item.value;
      spans.push(spanOf(block, prefix, true));
      for (const item of block.items ?? []) if (item.type === 'KeyValue') spans.push(spanOf(item, [...prefix, ...item.key.value], false));
    }
  }
  return spans;
}

const startsWith = (path: readonly string[], prefix: readonly string[]) => prefix.length <= path.length && prefix.every((key, index) => key === path[index]);

/** The lines that write the value at `path`: the key holding it, else its table(s), else the dotted keys under it. */
function linesOfKey(spans: readonly Span[], path: readonly string[]): [number, number] | undefined {
  const holder = spans.filter(span => !span.table && startsWith(path, span.path)).sort((a, b) => b.path.length - a.path.length)[0];
  const found = holder ? [holder] : spans.filter(span => span.table && span.path.length === path.length && startsWith(span.path, path));
  const parts = found.length > 0 ? found : spans.filter(span => !span.table && startsWith(span.path, path));
  if (parts.length === 0) return undefined;
  return [Math.min(...parts.map(span => span.start)), Math.max(...parts.map(span => span.end))];
}

function valueAt(table: Table, path: readonly string[]): Value {
  return path.reduce<Value>((node, key) => at(node, key), table);
}

/** Markers around the lines of each conflicting key (keys written on the same lines share one conflict). */
function markConflicts(lines: string[], paths: string[][], values: { yours: Table; base: Table; theirs: Table }, base: string[], theirs: string[], labels: MergeLabels): MergedLines | undefined {
  const [mineSpans, oldSpans, nextSpans] = [spansOf(lines), spansOf(base), spansOf(theirs)];
  if (!mineSpans || !oldSpans || !nextSpans) return undefined;
  const blocks: Array<{ yours: [number, number]; base?: [number, number]; theirs?: [number, number] }> = [];
  for (const path of paths) {
    const yours = linesOfKey(mineSpans, path);
    if (yours === undefined) return undefined;
    const side = (table: Table, spans: readonly Span[]) => (valueAt(table, path) === absent ? undefined : linesOfKey(spans, path));
    blocks.push({ yours, base: side(values.base, oldSpans), theirs: side(values.theirs, nextSpans) });
  }
  blocks.sort((a, b) => a.yours[0] - b.yours[0]);
  const union = (a?: [number, number], b?: [number, number]): [number, number] | undefined => (a && b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : (a ?? b));
  const merged: typeof blocks = [];
  for (const block of blocks) {
    const last = merged[merged.length - 1];
    if (last && block.yours[0] <= last.yours[1]) merged[merged.length - 1] = { yours: union(last.yours, block.yours)!, base: union(last.base, block.base), theirs: union(last.theirs, block.theirs) };
    else merged.push(block);
  }
  const slice = (source: readonly string[], span?: [number, number]) => (span ? source.slice(span[0] - 1, span[1]) : []);
  const result: string[] = [];
  let next = 1;
  for (const block of merged) {
    result.push(...lines.slice(next - 1, block.yours[0] - 1));
    result.push(...conflictBlock({ yours: slice(lines, block.yours), base: slice(base, block.base), theirs: slice(theirs, block.theirs) }, labels));
    next = block.yours[1] + 1;
  }
  result.push(...lines.slice(next - 1));
  return { lines: result, conflicts: merged.length };
}
