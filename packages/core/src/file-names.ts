import { parse as parseIni } from 'ini';
import { isPlainObject } from './json.js';
import { parseToml } from './toml.js';

// The names a repository may already use for a file pyrepo writes, and which of several files a
// tool reads its settings from: data, read the way the tools themselves look.

/** Names of a file of each kind, in the order the tool that reads it looks for them (the first found wins). */
export const fileNames = {
  /** Docker Compose looks for these in this order and uses the first (docker compose up with no -f). */
  compose: ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'],
  /** What code hosts show as the README; pyrepo's own name first. */
  readme: ['README.md', 'readme.md', 'Readme.md', 'README.markdown', 'README.rst', 'readme.rst', 'README.txt', 'readme.txt', 'README'],
} as const;

/** The name pyrepo writes when the repository has none of a kind. */
export const defaultFileNames = { compose: 'docker-compose.yaml', readme: 'README.md' } as const;

/** The first of `candidates` the repository has, or undefined. */
export function existingFileName(exists: (path: string) => boolean, candidates: readonly string[]): string | undefined {
  return candidates.find(path => exists(path));
}

/** The name the repository uses for a file of this kind, else pyrepo's default. */
export function fileNameFor(kind: keyof typeof fileNames, exists: (path: string) => boolean): string {
  return existingFileName(exists, fileNames[kind]) ?? defaultFileNames[kind];
}

/** How a README is written: Markdown sections go only into Markdown (or plain text, which reads them as they are). */
export function readmeFormat(path: string): 'markdown' | 'restructuredtext' | 'text' {
  if (/\.rst$/i.test(path)) return 'restructuredtext';
  return /\.(md|markdown)$/i.test(path) ? 'markdown' : 'text';
}

/** One place a tool may read its settings from. */
export interface ToolConfigFile {
  path: string;
  /** The file counts only when it has this table (TOML: dotted path) or a section matching this (INI). */
  toml?: string[];
  ini?: RegExp;
}

/**
 * Where each tool looks for its settings, in its own order; the first that counts is the one it
 * reads, and it reads no other. A file without `toml`/`ini` counts as soon as it exists (even empty).
 */
export const toolConfigFiles: Record<'pytest' | 'coverage' | 'ruff', ToolConfigFile[]> = {
  // pytest's rootdir/configfile search (pytest.toml from pytest 9).
  pytest: [
    { path: 'pytest.toml' },
    { path: '.pytest.toml' },
    { path: 'pytest.ini' },
    { path: '.pytest.ini' },
    { path: 'pyproject.toml', toml: ['tool', 'pytest'] },
    { path: 'tox.ini', ini: /^pytest$/ },
    { path: 'setup.cfg', ini: /^tool:pytest$/ },
  ],
  // coverage.py reads .coveragerc whole, else the first of these with a coverage section.
  coverage: [
    { path: '.coveragerc' },
    { path: 'setup.cfg', ini: /^coverage:/ },
    { path: 'tox.ini', ini: /^coverage:/ },
    { path: 'pyproject.toml', toml: ['tool', 'coverage'] },
  ],
  ruff: [{ path: '.ruff.toml' }, { path: 'ruff.toml' }, { path: 'pyproject.toml', toml: ['tool', 'ruff'] }],
};

/** Whether a file's text counts as the tool's configuration file. */
function counts(file: ToolConfigFile, text: string): boolean {
  if (file.toml) {
    let table: unknown = parseToml(text, file.path);
    for (const key of file.toml) table = isPlainObject(table) ? table[key] : undefined;
    return table !== undefined;
  }
  if (file.ini) {
    const pattern = file.ini;
    return Object.keys(parseIni(text)).some(section => pattern.test(section));
  }
  return true;
}

/** The file a tool reads its settings from in this repository, or undefined when it has none yet. */
export function toolConfigFile(read: (path: string) => string | undefined, files: readonly ToolConfigFile[]): string | undefined {
  for (const file of files) {
    const text = read(file.path);
    if (text !== undefined && counts(file, text)) return file.path;
  }
  return undefined;
}
