import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'smol-toml';
import type { ContextKey, Framework } from './context.js';
import { isPlainObject } from './json.js';
import { PythonSourceLimitError, readPythonModule, type PythonModule, type PythonValue } from './python-source.js';
import { readTextIfRegular } from './regular-file.js';
import { contextSchema } from './schema.js';
import { existingFileName, fileNames, toolConfigFile, toolConfigFiles } from './file-names.js';
import { declaredBuild } from './packaging.js';
import { detectRequirements } from './requirements-detect.js';
import { requirementsLayouts } from './requirements.js';

/** One fact about the repository: its value and where it was read. */
export interface Fact {
  value: unknown;
  /** Where the value comes from, for people: `manage.py: os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`. */
  from: string;
}

/**
 * What the repository says about itself, read without running any of its code (Python is parsed,
 * never imported): each fact with where it was found, and for each fact looked for and not found,
 * what was looked at (the message of a run that needs it names that and the flag that sets it).
 */
export interface ProjectModel {
  dir: string;
  facts: Partial<Record<ContextKey, Fact>>;
  lookedAt: Partial<Record<ContextKey, string>>;
  /**
   * Where the repository keeps what generators write into (shown by `pyrepo inspect`; the
   * generators ask core's file-names.ts and packaging.ts the same questions): the build backend,
   * the README and compose file under their names, each tool's configuration file, the test folders.
   */
  files: Record<string, Fact>;
}

/** The facts' values alone, as the context's `detected` layer takes them. */
export function modelValues(model: ProjectModel): Partial<Record<ContextKey, unknown>> {
  return Object.fromEntries(Object.entries(model.facts).map(([key, fact]) => [key, fact!.value]));
}

/** Folder names directly in a folder of the repository (hidden ones and a few known non-code folders skipped). */
function subfolders(dir: string, path: string): string[] {
  try {
    return readdirSync(join(dir, path), { withFileTypes: true })
      .filter(entry => entry.isDirectory() && !entry.name.startsWith('.') && !['node_modules', 'venv', 'env', '__pycache__', 'site-packages'].includes(entry.name))
      .map(entry => entry.name)
      .sort();
  } catch {
    return [];
  }
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Inspection {
  readonly model: ProjectModel;
  readonly #parsed = new Map<string, Promise<PythonModule | undefined>>();

  constructor(readonly dir: string) {
    this.model = { dir, facts: {}, lookedAt: {}, files: {} };
  }

  readonly #texts = new Map<string, string | undefined>();

  /** A file's text, read once per inspection (never through a link; bounded; see readTextIfRegular). */
  text(path: string): string | undefined {
    if (!this.#texts.has(path)) this.#texts.set(path, readTextIfRegular(this.dir, path));
    return this.#texts.get(path);
  }

  /** A Python file of the repository, parsed once; undefined when missing or not valid Python. */
  python(path: string): Promise<PythonModule | undefined> {
    let parsed = this.#parsed.get(path);
    if (!parsed) {
      const text = this.text(path);
      // A file that does not parse, or takes too long to, is not trusted for any fact.
      parsed =
        text === undefined
          ? Promise.resolve(undefined)
          : readPythonModule(text).then(
              module => (module.hasErrors ? undefined : module),
              (error: unknown) => {
                if (error instanceof PythonSourceLimitError) return undefined;
                throw error;
              },
            );
      this.#parsed.set(path, parsed);
    }
    return parsed;
  }

  set(key: ContextKey, value: unknown, from: string): void {
    if (value === undefined || this.model.facts[key] !== undefined) return;
    this.model.facts[key] = { value, from };
    delete this.model.lookedAt[key];
  }

  has(key: ContextKey): boolean {
    return this.model.facts[key] !== undefined;
  }

  missing(key: ContextKey, lookedAt: string): void {
    if (!this.has(key)) this.model.lookedAt[key] = lookedAt;
  }

  /** The file of a dotted module under a source root: a/b.py or a/b/__init__.py. */
  moduleFile(sourceRoot: string, module: string): string | undefined {
    const base = posix.join(sourceRoot, ...module.split('.'));
    for (const candidate of [`${base}.py`, `${base}/__init__.py`]) if (this.text(candidate) !== undefined) return candidate;
    return undefined;
  }
}

/**
 * Read the project model of a repository: metadata (pyproject.toml, setup.py, .python-version,
 * runtime.txt), requirements, the framework and where its application is, Django's settings.
 * Reads only the files it needs (a few per top-level package), so its cost does not grow with
 * the size of the repository.
 */
export async function inspectProject(dir: string): Promise<ProjectModel> {
  const inspection = new Inspection(dir);
  readMetadata(inspection);
  await readSetupPy(inspection);
  readRequirements(inspection);
  const manage = await findDjangoManagePy(inspection);
  if (manage) await readDjango(inspection, manage);
  await readApplication(inspection);
  if (!inspection.has('sourceRoot')) {
    // A src layout, where the code is a package under src/ (setuptools' and pytest's convention).
    const srcPackage = subfolders(dir, 'src').find(name => identifier.test(name) && inspection.text(posix.join('src', name, '__init__.py')) !== undefined);
    if (srcPackage) inspection.set('sourceRoot', 'src', `src/${srcPackage}/__init__.py`);
  }
  readFiles(inspection);
  for (const venv of ['.venv', 'venv', 'env']) {
    if (inspection.text(posix.join(venv, 'pyvenv.cfg')) !== undefined) {
      inspection.set('venvDir', venv, `${venv}/pyvenv.cfg`);
      break;
    }
  }
  return inspection.model;
}

/** The name setup.py's setup() call gives as a string (a computed name is left to the flag). */
async function readSetupPy(inspection: Inspection): Promise<void> {
  if (inspection.has('name')) return;
  const setup = (await inspection.python('setup.py'))?.calls.find(call => call.callee === 'setup' || call.callee.endsWith('.setup'));
  const name = setup?.keywords.get('name');
  if (name?.kind === 'string' && /^[A-Za-z0-9._-]+$/.test(name.value)) inspection.set('name', name.value, 'setup.py: setup(name=...)');
}

function readFiles(inspection: Inspection): void {
  const files = inspection.model.files;
  const exists = (path: string) => inspection.text(path) !== undefined;
  try {
    const build = declaredBuild(inspection.text('pyproject.toml'));
    if (build.backend) files.buildBackend = { value: build.backend, from: `pyproject.toml [build-system].build-backend${build.inTree ? ' (in the repository: backend-path)' : ''}` };
    if (build.project) files.projectTable = { value: 'pyproject.toml', from: 'pyproject.toml [project]' };
  } catch {
    // An invalid pyproject.toml is reported when a generator merges into it.
  }
  for (const kind of ['readme', 'compose'] as const) {
    const name = existingFileName(exists, fileNames[kind]);
    if (name) files[kind] = { value: name, from: `the first of ${fileNames[kind].join(', ')} that exists` };
  }
  for (const tool of ['pytest', 'coverage', 'ruff'] as const) {
    try {
      const file = toolConfigFile(path => inspection.text(path), toolConfigFiles[tool]);
      if (file) files[`${tool}Config`] = { value: file, from: `the file ${tool} reads its settings from` };
    } catch {
      // A configuration file that does not parse is reported by the generator that merges into it.
    }
  }
  const testFolders = ['tests', 'test', 'src/tests'].filter(folder => subfolders(inspection.dir, posix.dirname(folder)).includes(posix.basename(folder)));
  if (testFolders.length > 0) files.testFolders = { value: testFolders, from: 'folders of that name' };
}

/** A Python version major.minor from the start of a version text (3.12.4, python-3.12.4, >=3.11). */
function pythonVersion(text: string): string | undefined {
  const match = /^(?:python-)?\s*(?:>=|~=|\^|==)?\s*3\.(\d+)/.exec(text.trim());
  return match ? `3.${match[1]}` : undefined;
}

function readMetadata(inspection: Inspection): void {
  const pyproject = inspection.text('pyproject.toml');
  if (pyproject !== undefined) {
    try {
      const data = parse(pyproject) as Record<string, unknown>;
      const project = data.project;
      if (isPlainObject(project)) {
        if (typeof project.name === 'string') inspection.set('name', project.name, 'pyproject.toml [project].name');
        const python = pythonVersion(String(project['requires-python'] ?? ''));
        inspection.set('python', python, 'pyproject.toml [project].requires-python');
      }
      const poetry = (data.tool as Record<string, unknown> | undefined)?.poetry;
      if (isPlainObject(poetry)) {
        if (typeof poetry.name === 'string') inspection.set('name', poetry.name, 'pyproject.toml [tool.poetry].name');
        const dependencies = poetry.dependencies;
        if (isPlainObject(dependencies) && typeof dependencies.python === 'string') inspection.set('python', pythonVersion(dependencies.python), 'pyproject.toml [tool.poetry.dependencies].python');
      }
    } catch {
      // An invalid pyproject.toml is reported when a generator merges into it.
    }
  }
  const versionFile = inspection.text('.python-version');
  if (versionFile !== undefined) inspection.set('python', pythonVersion(versionFile), '.python-version');
  const runtime = inspection.text('runtime.txt');
  if (runtime !== undefined) inspection.set('python', pythonVersion(runtime), 'runtime.txt');
  // The official image's tag in a Dockerfile's FROM line (python:3.11-slim, docker.io/library/python:3.12).
  for (const dockerfile of ['Dockerfile', 'docker/Dockerfile']) {
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(?:docker\.io\/)?(?:library\/)?python:(3\.\d+)/im.exec(inspection.text(dockerfile) ?? '');
    if (from) inspection.set('python', from[1], `${dockerfile}: FROM python:${from[1]}`);
  }
}

/** Where the repository declares its dependencies (see requirements-detect.ts), and the framework production requires. */
function readRequirements(inspection: Inspection): void {
  const requirements = detectRequirements(inspection.dir, path => inspection.text(path));
  if (requirements.layout) inspection.set('layout', requirements.layout, `${requirementsLayouts[requirements.layout].files[0]!.path} (pyrepo's ${requirements.layout} layout)`);
  if (requirements.prod) inspection.set('prodRequirements', requirements.prod.path, requirements.prod.from);
  // An ambiguous declaration is not a fact: the plan asks which (--prod-requirements).
  else if (requirements.unclear.prod) inspection.missing('prodRequirements', requirements.unclear.prod);
  if (requirements.dev) inspection.set('devRequirements', requirements.dev.path, requirements.dev.from);
  if (requirements.frameworks.length === 1) {
    const [framework] = requirements.frameworks;
    inspection.set('framework', framework, `${requirements.prod?.path ?? (requirements.layout ? requirementsLayouts[requirements.layout].files[0]!.path : 'the requirements')} requires ${framework}`);
  }
}

/**
 * Django's manage.py at the root or in a folder directly below it (src/manage.py,
 * <project>/manage.py): one that imports Django or sets DJANGO_SETTINGS_MODULE (a Flask
 * project's manage.py is a click group).
 */
async function findDjangoManagePy(inspection: Inspection): Promise<string | undefined> {
  for (const folder of ['.', 'src', ...subfolders(inspection.dir, '.')]) {
    const path = posix.join(folder, 'manage.py');
    if (inspection.text(path) === undefined) continue;
    const parsed = await inspection.python(path);
    if (parsed && (parsed.environmentDefaults.has('DJANGO_SETTINGS_MODULE') || parsed.imports.some(entry => entry.level === 0 && entry.module.split('.')[0] === 'django'))) return path;
  }
  return undefined;
}

/** The first string a module sets with os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...). */
function settingsDefault(module: PythonModule | undefined): string | undefined {
  const value = module?.environmentDefaults.get('DJANGO_SETTINGS_MODULE');
  return value !== undefined && value.split('.').every(part => identifier.test(part)) ? value : undefined;
}

function stringValue(value: PythonValue | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

/**
 * A settings value, from the module or the modules it star-imports (the last assignment wins, as
 * Python runs them). A value read from the environment with a fallback (`os.environ.get("X",
 * default)`) is its fallback, where the fallback is the value the star-imported modules gave the
 * same name (`str(STATIC_ROOT)`) or a value of its own: what holds unless the deployment sets X.
 */
async function settingsValue(inspection: Inspection, sourceRoot: string, module: string, name: string, seen = new Set<string>(), skipOwn = false): Promise<{ value: PythonValue; file: string } | undefined> {
  if (seen.has(module) || seen.size > 8) return undefined;
  seen.add(module);
  const file = inspection.moduleFile(sourceRoot, module);
  const parsed = file === undefined ? undefined : await inspection.python(file);
  if (!parsed || !file) return undefined;
  const own = skipOwn ? undefined : parsed.assignments.get(name);
  if (own?.kind === 'environment') {
    const fallback = own.fallback;
    const inherited = fallback.kind === 'call' && fallback.callee === 'str' && fallback.arguments.length === 1 && fallback.arguments[0] === name;
    const sameName = fallback.kind === 'path' && fallback.base === name && fallback.parts.length === 0;
    if (inherited || sameName) return settingsValue(inspection, sourceRoot, module, name, new Set([...seen].filter(seenModule => seenModule !== module)), true);
    return { value: fallback, file };
  }
  if (own) return { value: own, file };
  for (const star of [...parsed.starImports].reverse()) {
    const target = star.level === 0 ? star.module : [...module.split('.').slice(0, -star.level), ...(star.module.replace(/^\.+/, '') ? [star.module.replace(/^\.+/, '')] : [])].join('.');
    const found = await settingsValue(inspection, sourceRoot, target, name, seen);
    if (found) return found;
  }
  return undefined;
}

async function readDjango(inspection: Inspection, managePath: string): Promise<void> {
  inspection.set('framework', 'django', managePath);
  const sourceRoot = posix.dirname(managePath);
  inspection.set('sourceRoot', sourceRoot, `the folder of ${managePath}`);
  const devSettings = settingsDefault(await inspection.python(managePath));
  if (!devSettings) {
    inspection.missing('devSettingsModule', `${managePath} (no os.environ.setdefault("DJANGO_SETTINGS_MODULE", "<module>"))`);
    inspection.missing('settingsModule', `${managePath}`);
    inspection.missing('wsgiApp', `${managePath}`);
    return;
  }
  const topPackage = devSettings.split('.')[0]!;
  inspection.set('package', topPackage, `${managePath}: DJANGO_SETTINGS_MODULE ${devSettings}`);
  // A settings package with a module per stage says which is which; otherwise manage.py's module
  // is development's and the WSGI module's is production's.
  const settingsPackage = devSettings.split('.').slice(0, -1).join('.');
  const stageModule = (names: string[]) => names.map(name => `${settingsPackage}.${name}`).find(module => settingsPackage !== '' && inspection.moduleFile(sourceRoot, module) !== undefined);
  if (inspection.moduleFile(sourceRoot, devSettings) === undefined) {
    // Every other Django fact is read from that module: none is guessed.
    const lookedAt = `${managePath}, which names ${devSettings}, not a module under ${sourceRoot}`;
    for (const key of ['devSettingsModule', 'settingsModule', 'wsgiApp', 'staticUrl', 'staticRoot'] as const) inspection.missing(key, lookedAt);
    return;
  }
  const dev = stageModule(['development', 'dev', 'local']);
  inspection.set('devSettingsModule', dev ?? devSettings, dev ? `${moduleShown(inspection, sourceRoot, dev)} (the development module of ${settingsPackage})` : `${managePath}: DJANGO_SETTINGS_MODULE`);
  const wsgiSetting = await settingsValue(inspection, sourceRoot, devSettings, 'WSGI_APPLICATION');
  const wsgiPath = stringValue(wsgiSetting?.value);
  let wsgiModuleSettings: string | undefined;
  if (wsgiPath && /^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$/.test(wsgiPath)) {
    const module = wsgiPath.split('.').slice(0, -1).join('.');
    const attribute = wsgiPath.split('.').at(-1)!;
    const file = inspection.moduleFile(sourceRoot, module);
    const parsed = file === undefined ? undefined : await inspection.python(file);
    if (parsed?.assignments.has(attribute)) {
      inspection.set('wsgiApp', `${module}:${attribute}`, `${wsgiSetting!.file}: WSGI_APPLICATION, defined in ${file}`);
      wsgiModuleSettings = settingsDefault(parsed);
    } else {
      inspection.missing('wsgiApp', `${wsgiSetting!.file}: WSGI_APPLICATION = "${wsgiPath}", but ${file ?? `module ${module}`} ${file ? `does not define ${attribute}` : 'does not exist'}`);
    }
  } else {
    inspection.missing('wsgiApp', `the settings ${devSettings} (no WSGI_APPLICATION string)`);
  }
  const prod = stageModule(['production', 'prod']);
  if (prod) inspection.set('settingsModule', prod, `${moduleShown(inspection, sourceRoot, prod)} (the production module of ${settingsPackage})`);
  else if (wsgiModuleSettings && inspection.moduleFile(sourceRoot, wsgiModuleSettings)) inspection.set('settingsModule', wsgiModuleSettings, `the WSGI module: DJANGO_SETTINGS_MODULE`);
  else inspection.missing('settingsModule', `${settingsPackage || devSettings} (no production module) and the WSGI module (no DJANGO_SETTINGS_MODULE default)`);

  const settingsForStatic = typeof inspection.model.facts.settingsModule?.value === 'string' ? (inspection.model.facts.settingsModule.value as string) : devSettings;
  const staticUrl = await settingsValue(inspection, sourceRoot, settingsForStatic, 'STATIC_URL');
  const url = stringValue(staticUrl?.value);
  if (url !== undefined && /^\/?([A-Za-z0-9._~-]+\/?)*$/.test(url)) {
    // Django prefixes a relative STATIC_URL ("static/") with the script prefix: "/" at the root.
    const absolute = `/${url.replace(/^\//, '').replace(/\/?$/, '/')}`.replace(/^\/\/$/, '/');
    inspection.set('staticUrl', absolute, `${staticUrl!.file}: STATIC_URL`);
  } else {
    inspection.missing('staticUrl', `the settings ${settingsForStatic} (STATIC_URL is ${!staticUrl ? 'not set' : url === undefined ? 'computed at run time' : `${JSON.stringify(url)}, not a path of this site`})`);
  }
  const staticRoot = await settingsValue(inspection, sourceRoot, settingsForStatic, 'STATIC_ROOT');
  const root = staticRoot ? await repositoryFolder(inspection, staticRoot.file, staticRoot.value) : undefined;
  if (root !== undefined) inspection.set('staticRoot', root, `${staticRoot!.file}: STATIC_ROOT`);
  else inspection.missing('staticRoot', `the settings ${settingsForStatic} (STATIC_ROOT is ${staticRoot ? 'not a folder of the repository' : 'not set'})`);
}

function moduleShown(inspection: Inspection, sourceRoot: string, module: string): string {
  return inspection.moduleFile(sourceRoot, module) ?? module;
}

/**
 * A settings path as a folder from the repository root, when the settings say where it is
 * relative to their own file (BASE_DIR / "staticfiles", os.path.join(BASE_DIR, "static")).
 */
async function repositoryFolder(inspection: Inspection, file: string, value: PythonValue): Promise<string | undefined> {
  let resolved: PythonValue | undefined = value;
  let relativeTo = file;
  if (value.kind === 'path') {
    const base = await namedValue(inspection, file, value.base);
    resolved = base?.value.kind === 'file-dir' ? { kind: 'file-dir', up: base.value.up, parts: [...base.value.parts, ...value.parts] } : undefined;
    if (base) relativeTo = base.file;
  }
  if (resolved?.kind !== 'file-dir') return undefined;
  let folder = posix.dirname(relativeTo);
  for (let up = 0; up < resolved.up; up++) folder = posix.dirname(folder);
  const joined = posix.normalize(posix.join(folder, ...resolved.parts));
  return joined === '.' || joined.startsWith('..') || posix.isAbsolute(joined) ? undefined : joined;
}

/** A module-level name's value: assigned in the file, or imported by name from another module of the repository (`from config.env import BASE_DIR`). */
async function namedValue(inspection: Inspection, file: string, name: string): Promise<{ value: PythonValue; file: string } | undefined> {
  const parsed = await inspection.python(file);
  const own = parsed?.assignments.get(name);
  if (own) return { value: own, file };
  const source = parsed?.imports.find(entry => entry.level === 0 && entry.names.includes(name));
  if (!source) return undefined;
  // Modules are looked for from the repository's import roots: the root and the folder of manage.py.
  const roots = [...new Set([String(inspection.model.facts.sourceRoot?.value ?? '.'), '.'])];
  for (const root of roots) {
    const imported = inspection.moduleFile(root, source.module);
    const value = imported === undefined ? undefined : (await inspection.python(imported))?.assignments.get(name);
    if (value && imported) return { value, file: imported };
  }
  return undefined;
}

/** An application reference, module:attribute or module:factory(), as the --wsgi-app option takes it. */
const applicationReference = new RegExp(contextSchema.properties.wsgiApp!.pattern!);

/**
 * The application a repository names itself: `.flaskenv`'s FLASK_APP, or the `web:` process of a
 * Procfile (`gunicorn 'shop:create_app()'`, `uvicorn app.main:app`). Taken only when the module it
 * names is in the repository.
 */
function declaredApplication(inspection: Inspection): { app: string; from: string; sourceRoot: string } | undefined {
  const named: Array<{ value: string; from: string }> = [];
  for (const line of (inspection.text('.flaskenv') ?? '').split('\n')) {
    const [key, ...rest] = line.split('=');
    if (key?.trim() === 'FLASK_APP') named.push({ value: rest.join('=').trim().replace(/^(["'])(.*)\1$/, '$2'), from: '.flaskenv: FLASK_APP' });
  }
  for (const line of (inspection.text('Procfile') ?? '').split('\n')) {
    const [process, ...command] = line.split(':');
    if (process?.trim() !== 'web') continue;
    // The command's words, unquoted; the application is the word that reads as a reference.
    for (const word of command.join(':').trim().split(/\s+/)) named.push({ value: word.replace(/^(["'])(.*)\1$/, '$2'), from: 'Procfile: web' });
  }
  for (const { value, from } of named) {
    if (!applicationReference.test(value)) continue;
    const module = value.split(':')[0]!;
    for (const sourceRoot of ['.', 'src']) if (inspection.moduleFile(sourceRoot, module)) return { app: value, from: `${from} (${value})`, sourceRoot };
  }
  return undefined;
}

/** The application object of a Flask or FastAPI project, and its framework when no requirement said. */
async function readApplication(inspection: Inspection): Promise<void> {
  const framework = inspection.model.facts.framework?.value;
  if (framework === 'django') return;
  const declared = declaredApplication(inspection);
  if (declared && (framework === 'flask' || framework === 'fastapi')) {
    inspection.set(framework === 'flask' ? 'wsgiApp' : 'asgiApp', declared.app, declared.from);
    if (declared.sourceRoot !== '.') inspection.set('sourceRoot', declared.sourceRoot, `${declared.from} names a module under ${declared.sourceRoot}/`);
    return;
  }
  const candidates = await applicationCandidates(inspection);
  const byFramework = (name: Framework) => candidates.filter(candidate => candidate.framework === name);
  for (const name of ['flask', 'fastapi'] as const) {
    if (framework !== undefined && framework !== name) continue;
    const found = byFramework(name);
    if (found.length === 0) continue;
    inspection.set('framework', name, `${found[0]!.file} imports ${name}`);
    const key = name === 'flask' ? 'wsgiApp' : 'asgiApp';
    const best = found[0]!;
    inspection.set(key, best.app, best.from);
    if (best.sourceRoot !== '.') inspection.set('sourceRoot', best.sourceRoot, `${best.file} is under ${best.sourceRoot}/`);
    return;
  }
  if (framework === 'flask') inspection.missing('wsgiApp', 'app.py, wsgi.py, main.py and each package\'s __init__.py, app.py, wsgi.py (no module-level Flask application, no create_app() factory), .flaskenv and Procfile');
  if (framework === 'fastapi') inspection.missing('asgiApp', 'app.py, main.py and each package\'s main.py, app.py, __init__.py (no module-level FastAPI application, no factory)');
}

interface ApplicationCandidate {
  framework: Framework;
  app: string;
  file: string;
  from: string;
  sourceRoot: string;
}

const applicationClasses: Record<string, Framework> = { Flask: 'flask', FastAPI: 'fastapi' };
const factoryNames = ['create_app', 'make_app', 'get_app', 'get_application', 'create_application', 'app_factory'];

/**
 * Modules that may hold the application, in the order people put it there: wsgi.py/asgi.py, then
 * app.py/main.py, at the root and in each top-level package (also under src/). A module-level
 * `app = Flask(...)` / `FastAPI(...)` / `create_app()` is the application; a factory function
 * with no required parameter is named with ().
 */
async function applicationCandidates(inspection: Inspection): Promise<ApplicationCandidate[]> {
  const found: ApplicationCandidate[] = [];
  const roots = ['.', ...(subfolders(inspection.dir, '.').includes('src') ? ['src'] : [])];
  for (const root of roots) {
    const packages = subfolders(inspection.dir, root).filter(name => identifier.test(name) && inspection.text(posix.join(root, name, '__init__.py')) !== undefined);
    const modules = [
      ...['wsgi', 'asgi', 'app', 'main', 'application', 'server'].map(name => ({ module: name, file: posix.join(root, `${name}.py`) })),
      ...packages.flatMap(pkg =>
        ['wsgi', 'asgi', 'main', 'app', 'application', '__main__', '__init__'].map(name => ({ module: name === '__init__' ? pkg : `${pkg}.${name}`, file: posix.join(root, pkg, `${name}.py`) })),
      ),
    ];
    for (const { module, file } of modules) {
      const parsed = await inspection.python(file);
      if (!parsed) continue;
      const imported = frameworkImported(parsed);
      for (const attribute of ['app', 'application']) {
        const value = parsed.assignments.get(attribute);
        if (value?.kind !== 'call') continue;
        const direct = applicationClasses[value.callee.split('.').at(-1)!];
        const framework = direct ?? imported ?? (await frameworkOfFactory(inspection, parsed, value.callee, root));
        if (!framework) continue;
        found.push({ framework, app: `${module}:${attribute}`, file, from: `${file}: ${attribute} = ${value.callee}(...)`, sourceRoot: root });
      }
      if (imported) {
        const factory = parsed.functions.find(fn => factoryNames.includes(fn.name) && fn.requiredParameters === 0);
        if (factory) found.push({ framework: imported, app: `${module}:${factory.name}()`, file, from: `${file}: def ${factory.name}() (an application factory)`, sourceRoot: root });
      }
    }
  }
  // A module-level application object before a factory, then in the order looked at.
  return found.sort((a, b) => Number(a.app.endsWith('()')) - Number(b.app.endsWith('()')));
}

function frameworkImported(module: PythonModule): Framework | undefined {
  for (const entry of module.imports) {
    const top = entry.module.split('.')[0];
    if (entry.level === 0 && (top === 'flask' || top === 'fastapi')) return top;
  }
  return undefined;
}

/** The framework of a factory the module imports from another module of the repository (`from pkg import create_app`). */
async function frameworkOfFactory(inspection: Inspection, module: PythonModule, callee: string, root: string): Promise<Framework | undefined> {
  const source = module.imports.find(entry => entry.level === 0 && entry.names.includes(callee));
  if (!source) return undefined;
  const file = inspection.moduleFile(root, source.module);
  const parsed = file === undefined ? undefined : await inspection.python(file);
  return parsed ? frameworkImported(parsed) : undefined;
}
