import { isDeepStrictEqual } from 'node:util';
import { patch } from '@decimalturn/toml-patch';
import { parse, stringify } from 'smol-toml';
import { PyrepoError } from './errors.js';
import { isPlainObject, type JsonObject } from './json.js';

/** Parse TOML, or fail naming the file, the position and the fix. */
export function parseToml(text: string, file: string): JsonObject {
  try {
    return parse(text) as JsonObject;
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new PyrepoError(`${file} is not valid TOML: ${reason}. Fix the file (or move it away) and run again.`, 2);
  }
}

/** Keys of `contribution` that `existing` lacks, at any depth. Existing values always win, arrays included. */
export function missingEntries(existing: JsonObject, contribution: JsonObject): JsonObject {
  const missing: JsonObject = {};
  for (const [key, value] of Object.entries(contribution)) {
    const current = existing[key];
    if (current === undefined) missing[key] = value;
    else if (isPlainObject(current) && isPlainObject(value)) {
      const deeper = missingEntries(current, value);
      if (Object.keys(deeper).length > 0) missing[key] = deeper;
    }
  }
  return missing;
}

function deepMerge(base: JsonObject, extra: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

/**
 * Merge a contribution into a TOML document, keeping every byte the user wrote.
 * Keys for tables that exist are inserted in place (toml-patch keeps comments and layout);
 * whole new tables are appended as `[a.b]` sections. Idempotent: nothing missing, text unchanged.
 */
export function mergeToml(text: string, contribution: JsonObject, file: string): string {
  const existing = text.trim() === '' ? {} : parseToml(text, file);
  const missing = missingEntries(existing, contribution);
  if (Object.keys(missing).length === 0) return text;

  const insertions: JsonObject = {};
  const newTables: Array<[string[], JsonObject]> = [];
  const split = (node: JsonObject | undefined, additions: JsonObject, path: string[], into: JsonObject) => {
    for (const [key, value] of Object.entries(additions)) {
      const current = node?.[key];
      if (isPlainObject(current) && isPlainObject(value)) {
        const nested: JsonObject = {};
        split(current, value, [...path, key], nested);
        if (Object.keys(nested).length > 0) into[key] = nested;
      } else if (isPlainObject(value)) newTables.push([[...path, key], value]);
      else into[key] = value;
    }
  };
  split(existing, missing, [], insertions);

  const expected = deepMerge(existing, missing);
  let result = Object.keys(insertions).length > 0 ? (appendToSections(text, insertions) ?? patch(text, deepMerge(existing, insertions))) : text;
  for (const [path, table] of newTables) {
    const wrapped = path.reduceRight<JsonObject>((inner, key) => ({ [key]: inner }), table);
    const body = result === '' || result.endsWith('\n') ? result : `${result}\n`;
    result = `${body}${body.trim() === '' ? '' : '\n'}${stringify(wrapped)}\n`;
  }
  // Appending [a.b] is not valid after an inline table or dotted keys that define `a`; toml-patch handles those.
  if (!safeEquals(result, expected)) result = patch(text, expected);
  if (!safeEquals(result, expected)) throw new PyrepoError(`Could not merge into ${file} without changing what it says; merge by hand: ${JSON.stringify(missing)}`, 1);
  return result;
}

const bareKey = /^[A-Za-z0-9_-]+$/;

/**
 * Append keys at the end of the `[a.b]` sections that hold their tables, as text; undefined when a
 * table is not written as such a section (dotted keys, inline tables), for toml-patch to handle.
 * toml-patch parses the whole document in its own parser (~40 ms on a run's first merge); every
 * result is checked by the caller either way.
 */
function appendToSections(text: string, insertions: JsonObject): string | undefined {
  const lines = text.split('\n');
  const byTable = new Map<string, string[]>();
  const collect = (node: JsonObject, path: string[]): boolean =>
    Object.entries(node).every(([key, value]) => {
      if (!bareKey.test(key)) return false;
      if (isPlainObject(value)) return collect(value, [...path, key]);
      byTable.set(path.join('.'), [...(byTable.get(path.join('.')) ?? []), stringify({ [key]: value }).trimEnd()]);
      return true;
    });
  if (!collect(insertions, [])) return undefined;
  for (const [table, entries] of byTable) {
    const header = table === '' ? -1 : lines.findIndex(line => line.replace(/\s*#.*$/, '').trim() === `[${table}]`);
    if (table !== '' && header === -1) return undefined;
    let end = lines.findIndex((line, index) => index > header && line.trimStart().startsWith('['));
    if (end === -1) end = lines.length;
    while (end > header + 1 && lines[end - 1]!.trim() === '') end--;
    lines.splice(end, 0, ...entries);
  }
  return lines.join('\n');
}

function safeEquals(text: string, expected: JsonObject): boolean {
  try {
    return isDeepStrictEqual(plain(parse(text)), plain(expected));
  } catch {
    return false;
  }
}

/** smol-toml builds tables without a prototype; compare contents only. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (isPlainObject(value) && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  return value;
}

/**
 * Append strings to an array of a TOML document (created when missing), keeping every byte the user
 * wrote; strings already in the array are not added again.
 */
export function appendToTomlArray(text: string, keys: readonly string[], items: readonly string[], file: string): string {
  const existing = text.trim() === '' ? {} : parseToml(text, file);
  const parent = keys.slice(0, -1).reduce<JsonObject | undefined>((node, key) => (node && isPlainObject(node[key]) ? (node[key] as JsonObject) : undefined), existing);
  const last = keys[keys.length - 1]!;
  const current = parent?.[last];
  if (current !== undefined && !Array.isArray(current)) throw new PyrepoError(`${file}: ${keys.join('.')} is not a list; add ${items.join(', ')} by hand.`, 1);
  const missing = items.filter(item => !(current ?? []).includes(item));
  if (missing.length === 0) return text;
  if (current === undefined || parent === undefined) {
    return mergeToml(text, keys.reduceRight<JsonObject>((inner, key) => ({ [key]: inner }), missing as unknown as JsonObject) as JsonObject, file);
  }
  const expected = structuredClone(plain(existing)) as JsonObject;
  const target = keys.slice(0, -1).reduce<JsonObject>((node, key) => node[key] as JsonObject, expected);
  target[last] = [...(current as unknown[]), ...missing];
  const result = patch(text, expected);
  if (!safeEquals(result, expected)) throw new PyrepoError(`Could not add ${missing.join(', ')} to ${file} (${keys.join('.')}) without changing what it says; add them by hand.`, 1);
  return result;
}
