import { readFileSync } from 'node:fs';
import { PyrepoError, UsageError } from './errors.js';

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Read and parse a JSON file, or fail naming the file and the reason: with `fix`, the user's input is
 * at fault (a UsageError, exit 2); without, a package is broken (exit 1).
 */
export function readJsonFile(path: string, what: string, fix?: string): unknown {
  const fail = (message: string) => (fix ? new UsageError({ message, fix }) : new PyrepoError(message, 1));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw fail(`Cannot read ${what} ${path}: ${reason}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fail(`${what} ${path} is not valid JSON: ${(error as Error).message}.`);
  }
}

/** kebab-case flag name of a camelCase option name: lineLength gives line-length. */
export function toFlag(name: string): string {
  return name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

/** camelCase option name of a flag: line-length gives lineLength. */
export function fromFlag(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** A short, single-line rendering of a value for error messages. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
