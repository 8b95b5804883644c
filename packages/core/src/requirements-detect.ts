import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'smol-toml';
import type { Framework, RequirementsLayout } from './context.js';
import { normalizeName } from './context.js';
import { isPlainObject, type JsonObject } from './json.js';
import { readTextIfRegular } from './regular-file.js';
import { closureOf, includedFiles, isGeneratedLock, isRequirementsFile, pyrepoMarker, requirementName, requirementsFileName } from './requirements.js';

// Where an existing repository declares its dependencies, read from the files' names and contents
// (never executed; bounded, no-follow reads; `-r` followed only inside the repository).

/** Where one role's dependencies are declared, and why that is the answer. */
export interface RequirementsSource {
  /** A requirements file (or pip-tools .in) from the repository root, `pyproject.toml` or `Pipfile`. */
  path: string;
  /** Why: "requirements/production.txt (includes base.txt)", "pyproject.toml [project].dependencies". */
  from: string;
}

export interface RequirementsFacts {
  /** pyrepo's own layout, when the repository has one (its files and nothing else). */
  layout?: RequirementsLayout;
  /** Where production's dependencies are declared; unset when no file says so, or several could. */
  prod?: RequirementsSource;
  /** Where development's (tests, linters, build) are declared; unset when nothing does, or several could. */
  dev?: RequirementsSource;
  /** The lock or frozen file production installs, derived from the declaration (never edited by pyrepo). */
  ships?: RequirementsSource;
  /** Frameworks required by production's declaration (its `-r` closure included). */
  frameworks: Framework[];
  /** Why a role has no answer, for the message that asks for it (set when the repository declares dependencies at all). */
  unclear: Partial<Record<'prod' | 'dev', string>>;
  /** The files and tables that were read. */
  lookedAt: string[];
}

const knownFrameworks: Framework[] = ['django', 'flask', 'fastapi', 'tornado'];
const prodStems = ['production', 'prod'];
const devStems = ['development', 'dev', 'devel', 'local'];
const testStems = ['test', 'tests', 'testing', 'ci'];
const baseStems = ['base', 'common'];

/** The pyproject.toml table that declares a role's dependencies, as a path of keys, or undefined. */
export function pyprojectDeclaration(document: JsonObject, role: 'prod' | 'dev'): string[] | undefined {
  const project = document.project;
  const tool = isPlainObject(document.tool) ? document.tool : {};
  const poetry = isPlainObject(tool.poetry) ? tool.poetry : undefined;
  const hasProjectDependencies = isPlainObject(project) && Array.isArray(project.dependencies);
  if (role === 'prod') {
    if (hasProjectDependencies) return ['project', 'dependencies'];
    if (isPlainObject(project) && Array.isArray(project.dynamic) && project.dynamic.includes('dependencies')) return undefined;
    if (poetry && isPlainObject(poetry.dependencies)) return ['tool', 'poetry', 'dependencies'];
    return undefined;
  }
  const groups = document['dependency-groups'];
  for (const group of ['dev', 'test']) if (isPlainObject(groups) && Array.isArray(groups[group])) return ['dependency-groups', group];
  const extras = isPlainObject(project) ? project['optional-dependencies'] : undefined;
  for (const extra of ['dev', 'test']) if (isPlainObject(extras) && Array.isArray(extras[extra])) return ['project', 'optional-dependencies', extra];
  if (poetry) {
    const poetryGroups = isPlainObject(poetry.group) ? poetry.group : {};
    for (const group of ['dev', 'test']) {
      const table = poetryGroups[group];
      if (isPlainObject(table) && isPlainObject(table.dependencies)) return ['tool', 'poetry', 'group', group, 'dependencies'];
    }
    if (isPlainObject(poetry['dev-dependencies'])) return ['tool', 'poetry', 'dev-dependencies'];
  }
  return undefined;
}

/** Pipfile's table for a role. */
export function pipfileDeclaration(role: 'prod' | 'dev'): string[] {
  return [role === 'prod' ? 'packages' : 'dev-packages'];
}

/** Shown as `pyproject.toml [project].dependencies`. */
export function showTable(file: string, keys: readonly string[]): string {
  const last = keys[keys.length - 1]!;
  return keys.length === 1 ? `${file} [${last}]` : `${file} [${keys.slice(0, -1).join('.')}]${keys.length > 1 ? `.${last}` : ''}`;
}

export function tableAt(document: JsonObject, keys: readonly string[]): unknown {
  let node: unknown = document;
  for (const key of keys) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

/** Project names a table declares: PEP 508 strings of an array, or the keys of a poetry/Pipfile table. */
export function declaredNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(item => (typeof item === 'string' ? [requirementName(item)].filter((n): n is string => n !== undefined) : []));
  if (isPlainObject(value)) return Object.keys(value).map(normalizeName);
  return [];
}

/** Names of the files in a folder of the repository (none when it is not a folder). */
function listFolder(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter(entry => entry.isFile())
      .map(entry => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Where production's and development's dependencies are declared in the repository at `dir`.
 * `readText` reads its files (the project model passes its own, which reads each file once); a
 * link, a device or a huge file is not read, so it is not a declaration.
 */
export function detectRequirements(dir: string, readText: (path: string) => string | undefined = path => readTextIfRegular(dir, path)): RequirementsFacts {
  const texts = new Map<string, string | undefined>();
  const lookedAt: string[] = [];
  const read = (path: string): string | undefined => {
    if (!texts.has(path)) {
      const text = readText(path);
      texts.set(path, text);
      if (text !== undefined) lookedAt.push(path);
    }
    return texts.get(path);
  };
  const rootFiles = listFolder(dir);
  const folderFiles = listFolder(join(dir, 'requirements')).map(name => `requirements/${name}`);
  const facts: RequirementsFacts = { frameworks: [], unclear: {}, lookedAt };

  const ownLayout = pyrepoLayout(rootFiles, folderFiles, read);
  if (ownLayout) {
    facts.layout = ownLayout.layout;
    facts.frameworks = frameworksIn(ownLayout.files.flatMap(path => namesOf(path, read, new Set())));
    return facts;
  }

  // The declarations found, by kind.
  const requirementsFiles = [...rootFiles.filter(name => requirementsFileName.test(name)), ...folderFiles.filter(isRequirementsFile)];
  const files = classifyFiles(requirementsFiles, read);
  const pyprojectText = rootFiles.includes('pyproject.toml') ? read('pyproject.toml') : undefined;
  let pyproject: JsonObject | undefined;
  try {
    pyproject = pyprojectText === undefined ? undefined : (parse(pyprojectText) as JsonObject);
  } catch {
    pyproject = undefined; // reported when a generator merges into it
  }
  const pipfileText = rootFiles.includes('Pipfile') ? read('Pipfile') : undefined;
  let pipfile: JsonObject | undefined;
  try {
    pipfile = pipfileText === undefined ? undefined : (parse(pipfileText) as JsonObject);
  } catch {
    pipfile = undefined;
  }

  // Production: the declarative table (pyproject, Pipfile) or a requirements file; both is a question.
  const tables: Array<{ source: RequirementsSource; names: string[]; lock?: string }> = [];
  const prodTable = pyproject && pyprojectDeclaration(pyproject, 'prod');
  if (pyproject && prodTable) {
    const lock = prodTable[0] === 'tool' ? 'poetry.lock' : 'uv.lock';
    tables.push({ source: { path: 'pyproject.toml', from: showTable('pyproject.toml', prodTable) }, names: declaredNames(tableAt(pyproject, prodTable)), lock: rootFiles.includes(lock) ? lock : undefined });
  }
  if (pipfile && isPlainObject(pipfile.packages)) {
    tables.push({ source: { path: 'Pipfile', from: 'Pipfile [packages]' }, names: declaredNames(pipfile.packages), lock: rootFiles.includes('Pipfile.lock') ? 'Pipfile.lock' : undefined });
  }
  const fileProd = files.prod;
  const prodCandidates = [...tables.map(table => table.source), ...(fileProd.source ? [fileProd.source] : [])];
  if (prodCandidates.length > 1) {
    facts.unclear.prod = `several files declare production's dependencies: ${prodCandidates.map(source => source.from).join(', ')}`;
  } else if (tables.length === 1) {
    const [table] = tables;
    facts.prod = table!.source;
    facts.frameworks = frameworksIn(table!.names);
    // An exported requirements.txt (uv export, poetry export) is what pip installs; else the tool's own lock.
    const exported = files.locks.includes('requirements.txt') ? 'requirements.txt' : undefined;
    if (exported) facts.ships = { path: exported, from: `${exported} (exported from ${table!.source.from})` };
    else if (table!.lock) facts.ships = { path: table!.lock, from: `${table!.lock} (the lock of ${table!.source.from})` };
  } else if (fileProd.source) {
    facts.prod = fileProd.source;
    facts.frameworks = frameworksIn(namesOf(fileProd.source.path, read, new Set()));
    if (fileProd.ships) facts.ships = fileProd.ships;
  } else if (fileProd.unclear) {
    facts.unclear.prod = fileProd.unclear;
  }

  // Development: next to production's declaration first (a requirements file beside a file, a table beside a table).
  const devTable =
    pyproject && facts.prod?.path === 'pyproject.toml' ? pyprojectDeclaration(pyproject, 'dev') : undefined;
  const tableDev = devTable
    ? { path: 'pyproject.toml', from: showTable('pyproject.toml', devTable) }
    : pipfile && facts.prod?.path === 'Pipfile' && isPlainObject(pipfile['dev-packages'])
      ? { path: 'Pipfile', from: 'Pipfile [dev-packages]' }
      : undefined;
  if (tableDev) facts.dev = tableDev;
  else if (files.dev.source) facts.dev = files.dev.source;
  else if (files.dev.unclear) facts.unclear.dev = files.dev.unclear;
  return facts;
}

/** pyrepo's own layout: its files only (layered, app/dev/frozen), or a requirements.txt it wrote and nothing else. */
function pyrepoLayout(
  rootFiles: string[],
  folderFiles: string[],
  read: (path: string) => string | undefined,
): { layout: RequirementsLayout; files: string[] } | undefined {
  const layered = ['requirements/base.txt', 'requirements/ci.txt', 'requirements/dev.txt', 'requirements/prod.txt'];
  if (folderFiles.includes('requirements/base.txt') && folderFiles.every(file => layered.includes(file)) && read('requirements/base.txt') !== undefined) {
    return { layout: 'layered', files: folderFiles };
  }
  if (rootFiles.includes('requirements-app.txt') && read('requirements-app.txt') !== undefined) {
    return { layout: 'app-dev-frozen', files: ['requirements-app.txt', 'requirements.txt'].filter(file => rootFiles.includes(file)) };
  }
  // The single layout: requirements.txt, and requirements-dev.txt when pyrepo wrote that too.
  const others = rootFiles.filter(name => /^requirements.*\.(txt|in)$/.test(name) && name !== 'requirements.txt');
  const single = read('requirements.txt');
  const dev = others.length === 1 && others[0] === 'requirements-dev.txt' ? read('requirements-dev.txt') : undefined;
  if (single !== undefined && single.includes(pyrepoMarker) && (others.length === 0 || dev?.includes(pyrepoMarker)) && folderFiles.length === 0) {
    return { layout: 'single', files: ['requirements.txt', ...(dev === undefined ? [] : ['requirements-dev.txt'])] };
  }
  return undefined;
}

interface RoleAnswer {
  source?: RequirementsSource;
  ships?: RequirementsSource;
  unclear?: string;
}

/** Production's and development's requirements files among the repository's, by name and content. */
function classifyFiles(paths: string[], read: (path: string) => string | undefined): { prod: RoleAnswer; dev: RoleAnswer; locks: string[] } {
  const present = new Set(paths.filter(path => read(path) !== undefined));
  // A pip-tools .txt compiled from an .in beside it, or any file whose header says it was generated, is a lock.
  const locks = [...present].filter(path => (path.endsWith('.txt') && present.has(path.replace(/\.txt$/, '.in'))) || isGeneratedLock(read(path) ?? ''));
  const declarations = [...present].filter(path => !locks.includes(path));
  const stemOf = (path: string): { folder: boolean; stem: string } => {
    const name = posix.basename(path).replace(/\.(txt|in)$/, '');
    if (path.startsWith('requirements/')) return { folder: true, stem: name.toLowerCase() };
    const match = /^requirements(?:[-_.](.+))?$/.exec(name) ?? /^(.+)[-_]requirements$/.exec(name);
    return { folder: false, stem: (match?.[1] ?? '').toLowerCase() };
  };
  const compiledOf = (path: string): string | undefined => {
    const compiled = path.replace(/\.in$/, '.txt');
    return path.endsWith('.in') && present.has(compiled) ? compiled : undefined;
  };
  const describe = (path: string): string => {
    const includes = includedFiles(read(path) ?? '');
    const compiled = compiledOf(path);
    const notes = [...(includes.length > 0 ? [`includes ${includes.join(', ')}`] : []), ...(compiled ? [`compiled to ${compiled}`] : [])];
    return notes.length > 0 ? `${path} (${notes.join('; ')})` : path;
  };
  const withStems = (stems: string[], folder: boolean) => declarations.filter(path => stemOf(path).folder === folder && stems.includes(stemOf(path).stem));
  const answer = (path: string, why?: string): RoleAnswer => {
    const compiled = compiledOf(path);
    return { source: { path, from: why ?? describe(path) }, ships: compiled ? { path: compiled, from: `${compiled} (compiled from ${path})` } : undefined };
  };
  const pick = (role: string, candidates: string[]): RoleAnswer | undefined => {
    if (candidates.length === 1) return answer(candidates[0]!);
    if (candidates.length > 1) return { unclear: `several files could declare ${role}'s dependencies: ${candidates.join(', ')}` };
    return undefined;
  };

  // Production: a production file in requirements/ (reached from the root requirements file, if that has one),
  // else the root requirements file, else requirements/base.txt that the development files build on, else requirements-prod.txt.
  const main = declarations.filter(path => !stemOf(path).folder && stemOf(path).stem === '');
  const folderProd = withStems(prodStems, true);
  let prod: RoleAnswer | undefined;
  if (folderProd.length > 0) {
    prod = pick('production', folderProd);
    const root = main[0];
    if (prod?.source && root !== undefined && !closureOf(root, read).has(prod.source.path) && ownLines(read(root) ?? '') > 0) {
      prod = { unclear: `both ${root} and ${prod.source.path} declare dependencies, and neither includes the other` };
    }
  }
  prod ??= pick('production', main);
  if (!prod) {
    const folderBase = withStems(baseStems, true);
    prod = pick('production', withStems(prodStems, false)) ?? (folderBase.length === 1 ? answer(folderBase[0]!, `${folderBase[0]} (the only file besides development's)`) : undefined);
  }
  if (!prod) {
    const variants = declarations.filter(path => !stemOf(path).folder && ![...devStems, ...testStems, ...baseStems].includes(stemOf(path).stem));
    if (variants.length > 0) prod = { unclear: `no file is production's: ${variants.join(', ')} could each be, by their names` };
  }

  const devCandidates = (stems: string[]) => {
    const inFolder = withStems(stems, true);
    const atRoot = withStems(stems, false);
    // Beside production's file first: the folder when production is there.
    return prod?.source?.path.startsWith('requirements/') ? (inFolder.length > 0 ? inFolder : atRoot) : atRoot.length > 0 ? atRoot : inFolder;
  };
  // One name per role: requirements-dev.txt beside requirements-devel.txt is a question; tests' files serve when there is no development file.
  const devFiles = devCandidates(devStems);
  const dev = pick('development', devFiles.length > 0 ? devFiles : devCandidates(testStems));
  return { prod: prod ?? {}, dev: dev ?? {}, locks };
}

/** Requirement lines a file has of its own (not `-r`, options or comments). */
function ownLines(text: string): number {
  return text.split('\n').filter(line => requirementName(line) !== undefined).length;
}

function namesOf(path: string, read: (path: string) => string | undefined, seen: Set<string>): string[] {
  return [...closureOf(path, read, seen)].flatMap(file => (read(file) ?? '').split('\n').flatMap(line => [requirementName(line)].filter((n): n is string => n !== undefined)));
}

function frameworksIn(names: readonly string[]): Framework[] {
  const set = new Set(names);
  return knownFrameworks.filter(framework => set.has(framework));
}
