import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { parse } from 'smol-toml';

type RuffSettings = Record<string, unknown>;

interface RuffDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
}

interface RuffWorkspace {
  check(contents: string): RuffDiagnostic[];
  format(contents: string): string;
  free(): void;
}

/** The folders ruff never looks into unless told to (its `exclude` default). */
const ruffDefaultExcludes = [
  '.bzr', '.direnv', '.eggs', '.git', '.git-rewrite', '.hg', '.ipynb_checkpoints', '.mypy_cache', '.nox', '.pants.d', '.pyenv',
  '.pytest_cache', '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '.vscode', '__pypackages__', '_build', 'buck-out', 'dist',
  'node_modules', 'site-packages', 'venv', 'build',
];

/**
 * The repository's ruff configuration, as ruff finds it in its root: `.ruff.toml`, `ruff.toml`,
 * then `[tool.ruff]` of pyproject.toml. Undefined when it has none.
 */
export function ruffSettings(dir: string): RuffSettings | undefined {
  for (const file of ['.ruff.toml', 'ruff.toml']) {
    if (existsSync(join(dir, file))) return parse(readFileSync(join(dir, file), 'utf8')) as RuffSettings;
  }
  if (!existsSync(join(dir, 'pyproject.toml'))) return undefined;
  const pyproject = parse(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as { tool?: { ruff?: RuffSettings } };
  return pyproject.tool?.ruff;
}

/**
 * `ruff check` and `ruff format --check` on every Python file of a repository, with the
 * repository's own configuration, by the real ruff (its WebAssembly build,
 * @astral-sh/ruff-wasm-nodejs). The WebAssembly build sees one file's text, not the file system,
 * so this does what ruff's CLI does around it: it walks the repository leaving out ruff's default
 * excludes and the configuration's `exclude`/`extend-exclude` (folder names or paths; a glob is
 * refused rather than guessed), and tells isort which modules are first-party (what ruff finds in
 * its `src` folders: the root and `src/`, unless the configuration names others). Returns
 * the files checked (relative paths) and the problems: "path:row:column: CODE message" and
 * "path: would be reformatted (line N: ...)" lines, none when both pass. Throws when the
 * repository has no ruff configuration: there would be nothing to hold the files to.
 */
export function checkRuff(dir: string): { files: string[]; problems: string[] } {
  const settings = ruffSettings(dir);
  if (!settings) throw new Error(`${dir} has no ruff configuration (.ruff.toml, ruff.toml or [tool.ruff] in pyproject.toml)`);
  const excluded = [...(settings['exclude'] as string[] | undefined ?? ruffDefaultExcludes), ...(settings['extend-exclude'] as string[] | undefined ?? [])];
  for (const pattern of excluded) {
    if (/[*?[\]{}]/.test(pattern)) throw new Error(`checkRuff: exclude pattern ${pattern} is a glob, which this check does not expand`);
  }
  const isExcluded = (path: string) => {
    const parts = path.split(sep);
    return excluded.some(pattern => {
      const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '');
      return clean.includes('/') ? path === clean || path.startsWith(`${clean}/`) : parts.includes(clean);
    });
  };
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (isExcluded(relative(dir, path))) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.pyi?$/.test(entry.name)) files.push(path);
    }
  };
  walk(dir);

  const lint = (settings['lint'] ?? {}) as RuffSettings;
  const isort = (lint['isort'] ?? {}) as RuffSettings;
  const src = (settings['src'] as string[] | undefined) ?? ['.', 'src'];
  const firstParty = src.flatMap(folder => {
    const root = join(dir, folder);
    if (!existsSync(root) || !statSync(root).isDirectory()) return [];
    return readdirSync(root, { withFileTypes: true }).filter(entry => !isExcluded(relative(dir, join(root, entry.name))) && (entry.isDirectory() || /\.pyi?$/.test(entry.name))).map(entry => entry.name.replace(/\.pyi?$/, ''));
  });
  const options = { ...settings, lint: { ...lint, isort: { ...isort, 'known-first-party': [...((isort['known-first-party'] as string[] | undefined) ?? []), ...firstParty] } } };
  delete (options as RuffSettings)['src'];
  delete (options as RuffSettings)['exclude'];
  delete (options as RuffSettings)['extend-exclude'];

  const { Workspace, PositionEncoding } = createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs') as {
    Workspace: new (options: unknown, encoding: number) => RuffWorkspace;
    PositionEncoding: { Utf16: number };
  };
  const workspace = new Workspace(options, PositionEncoding.Utf16);
  try {
    const problems = files.flatMap(path => {
      const shown = relative(dir, path);
      const text = readFileSync(path, 'utf8');
      const problems = workspace.check(text).map(d => `${shown}:${d.start_location.row}:${d.start_location.column}: ${d.code ?? 'syntax'} ${d.message}`);
      const formatted = workspace.format(text);
      if (formatted !== text) {
        const before = text.split('\n');
        const after = formatted.split('\n');
        const line = before.findIndex((value, index) => value !== after[index]);
        problems.push(`${shown}: would be reformatted (line ${line + 1}: ${JSON.stringify(before[line])} -> ${JSON.stringify(after[line])})`);
      }
      return problems;
    });
    return { files: files.map(path => relative(dir, path)), problems };
  } finally {
    workspace.free();
  }
}
