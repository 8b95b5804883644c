import { join } from 'node:path';
import { UsageError } from './errors.js';
import { isPlainObject, type JsonObject } from './json.js';
import { readRegularFile } from './regular-file.js';
import { isPathRef } from './registry.js';

/** The key of pyrepo's section in .yo-rc.json (Yeoman's per-generator config file). */
export const configKey = 'generator-pyrepo';

/** What pyrepo remembers about a repository between runs. */
export interface StoredConfig {
  /** The project facts, so a generator added later knows the project. */
  project?: JsonObject;
  /** The options the user chose for each generator (not defaults, not preset values). */
  generators?: Record<string, JsonObject>;
  /** The preset the repository was created from. */
  preset?: string;
  /** The records of the last generation (see records.ts): their format, versions, schema versions, facts, files. */
  record?: number;
  /** Every generation that wrote files, in order ("preset <name>", "generators <name> ..."): what check and update rebuild. */
  generations?: string[];
  versions?: Record<string, string>;
  schemas?: Record<string, number>;
  facts?: JsonObject;
  files?: Record<string, string>;
  /** An update that stopped on conflicts (see packages/cli/src/update.ts): what --continue and --abort need. */
  updating?: JsonObject;
}

/** Read .yo-rc.json's pyrepo section from a repository, if there is one. */
export function readStoredConfig(dir: string): StoredConfig {
  const file = join(dir, '.yo-rc.json');
  // The repository's own file: bounded, never through a link, never a device or a FIFO.
  const read = readRegularFile(file, file);
  if (!read) return {};
  let data: unknown;
  try {
    data = JSON.parse(read.contents.toString('utf8'));
  } catch (error) {
    throw new UsageError({ message: `Yeoman config ${file} is not valid JSON: ${(error as Error).message}.`, fix: `correct ${file} or delete it (pyrepo then detects the project from its files).` });
  }
  if (!isPlainObject(data)) {
    throw new UsageError({
      message: `${file} holds ${data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`}, not a JSON object (Yeoman's config file is an object keyed by generator).`,
      fix: `replace its content with {} or delete it (pyrepo then detects the project from its files).`,
    });
  }
  const section = data[configKey];
  if (section === undefined) return {};
  const valid = isPlainObject(section) && [section.project, section.generators, section.versions, section.schemas, section.facts, section.files, section.updating].every(part => part === undefined || isPlainObject(part));
  if (!valid || (section.generators !== undefined && !Object.values(section.generators as JsonObject).every(isPlainObject))) {
    throw new UsageError({
      message: `${file}: "${configKey}" must be an object with optional "project", "generators", "versions", "schemas", "facts", "files" and "updating" objects.`,
      fix: `correct it or remove the "${configKey}" key.`,
    });
  }
  // A repository is not a place the user chose code from: it names a preset by package name only.
  if (section.preset !== undefined && (typeof section.preset !== 'string' || isPathRef(section.preset))) {
    throw new UsageError({
      message: `${file}: "${configKey}.preset" is ${JSON.stringify(section.preset)}; a repository's config may name its preset only by name or npm package, never by path (a path would load code the repository carries).`,
      fix: `set it to the preset's name (as in \`pyrepo list\`) or remove the key; to run a preset from a folder, give its path on the command line: pyrepo new <path> <dir>.`,
    });
  }
  return section as StoredConfig;
}
