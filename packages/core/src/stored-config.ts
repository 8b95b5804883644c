import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { isPlainObject, readJsonFile, type JsonObject } from './json.js';

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
}

/** Read .yo-rc.json's pyrepo section from a repository, if there is one. */
export function readStoredConfig(dir: string): StoredConfig {
  const file = join(dir, '.yo-rc.json');
  if (!existsSync(file)) return {};
  const data = readJsonFile(file, 'Yeoman config', `correct ${file} or delete it (pyrepo then detects the project from its files).`);
  const section = isPlainObject(data) ? data[configKey] : undefined;
  if (section === undefined) return {};
  const valid = isPlainObject(section) && [section.project, section.generators].every(part => part === undefined || isPlainObject(part));
  if (!valid || (section.generators !== undefined && !Object.values(section.generators as JsonObject).every(isPlainObject))) {
    throw new UsageError({
      message: `${file}: "${configKey}" must be an object with optional "project" and "generators" objects.`,
      fix: `correct it or remove the "${configKey}" key.`,
    });
  }
  return section as StoredConfig;
}
