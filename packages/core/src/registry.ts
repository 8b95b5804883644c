import { existsSync, readdirSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkCoreRange } from './compat.js';
import { PyrepoError, UsageError, didYouMean } from './errors.js';
import { isPlainObject, readJsonFile } from './json.js';
import { checkGeneratorSchema, type GeneratorSchema } from './schema.js';
import { codeOrigin, untrustedProblem, type Trust } from './trust.js';

export type PluginKind = 'generator' | 'preset';

/** Where a generator or preset comes from, for `pyrepo list` and error messages. */
export type EntrySource =
  | { type: 'built-in'; packageName: string; version: string; path: string }
  | { type: 'package'; packageName: string; version: string; path: string }
  | { type: 'path'; path: string };

export interface GeneratorEntry {
  kind: 'generator';
  /** Short name: `uwsgi`, `@acme/sentry`. */
  name: string;
  description: string;
  source: EntrySource;
  /** The package folder. */
  dir: string;
  /** Absolute path of the module whose default export is the generator class. */
  module: string;
  /** Imports that module (a built-in through the catalog's static import, which a bundle follows). */
  load: () => Promise<unknown>;
  schema: GeneratorSchema;
  /** The package's name and version, as its package.json says (Yeoman keys the generator's storage by them). */
  packageJson: { name?: string; version?: string };
}

export interface PresetEntry {
  kind: 'preset';
  name: string;
  description: string;
  source: EntrySource;
  /** Absolute path of the preset.json. */
  file: string;
}

/** Built-ins, recorded at build time by generator-pyrepo (no scan at run time). */
export interface Catalog {
  /** `load` imports the generator's module by its package name (absent: imported from its path). */
  generators: Array<{ name: string; package: string; description: string; load?: () => Promise<unknown> }>;
  presets: Array<{ name: string; package: string; description: string }>;
}

const prefixes: Record<PluginKind, string> = { generator: 'pyrepo-generator-', preset: 'pyrepo-preset-' };
const builtInScope = '@pyrepo/';

/** `@acme/pyrepo-preset-web` gives `@acme/web`; `@pyrepo/generator-uwsgi` gives `uwsgi`; `pyrepo-preset-x` gives `x`. */
export function shortName(packageName: string, kind: PluginKind): string {
  if (packageName.startsWith(builtInScope)) return packageName.slice(builtInScope.length).replace(`${kind}-`, '');
  const [scope, bare] = packageName.startsWith('@') ? (packageName.split('/') as [string, string]) : [undefined, packageName];
  const name = bare.startsWith(prefixes[kind]) ? bare.slice(prefixes[kind].length) : bare;
  return scope ? `${scope}/${name}` : name;
}

/** Package names a short or full name may refer to, most specific first. */
export function candidatePackages(ref: string, kind: PluginKind): string[] {
  if (ref.startsWith('@')) {
    const [scope, bare = ''] = ref.split('/');
    return bare.startsWith(prefixes[kind]) ? [ref] : [`${scope}/${prefixes[kind]}${bare}`, ref];
  }
  return ref.startsWith(prefixes[kind]) ? [ref] : [`${prefixes[kind]}${ref}`, ref];
}

export function isPathRef(ref: string): boolean {
  return ref.startsWith('.') || isAbsolute(ref) || ref.endsWith('.json');
}

interface PackageJson {
  name?: string;
  version?: string;
  description?: string;
  main?: string;
  exports?: unknown;
  pyrepo?: { kind?: string };
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}

function readPackageJson(dir: string, label: string): PackageJson {
  const data = readJsonFile(join(dir, 'package.json'), `package.json of ${label}:`);
  if (!isPlainObject(data)) throw new PyrepoError(`${label}: package.json is not a JSON object.`, 1);
  return data as PackageJson;
}

/** The ESM entry of a package: exports["."], then main, then index.js. */
function packageEntry(dir: string, pkg: PackageJson): string {
  const dot = isPlainObject(pkg.exports) ? (pkg.exports['.'] ?? pkg.exports) : pkg.exports;
  const target = typeof dot === 'string' ? dot : isPlainObject(dot) ? (dot.import ?? dot.default) : undefined;
  return resolve(dir, typeof target === 'string' ? target : (pkg.main ?? 'index.js'));
}

export interface RegistryOptions {
  catalog: Catalog;
  /** Folder built-in packages resolve from (generator-pyrepo's): pyrepo's own install. */
  catalogDir: string;
  /** The user's folder: relative paths resolve from it; its own node_modules (not its parents') holds team packages. */
  cwd: string;
  /** The target repository, whose own node_modules holds team packages too (default: cwd). */
  projectDir?: string;
  /**
   * Which code that did not ship with pyrepo may be loaded (imported, or its templates rendered).
   * Absent: all of it, for programs that build a registry for code they chose (tests of a team
   * package); the CLI and yo always pass one.
   */
  trust?: Trust;
  /** Imports a generator module that is not built in (default: `import()`; the CLI bundle shares its core). */
  importModule?: (url: string) => Promise<unknown>;
}

/** Finds generators and presets by name, package or path; each lookup checks only the places a name can be. */
export class Registry {
  readonly #options: RegistryOptions;
  readonly #generators = new Map<string, GeneratorEntry>();

  constructor(options: RegistryOptions) {
    this.#options = options;
  }

  get trust(): Trust | undefined {
    return this.#options.trust;
  }

  /**
   * Folders that may hold team packages, each a place the user chose: the target repository's and
   * the working folder's own node_modules (never a parent's: anyone may write /tmp/node_modules),
   * the node_modules pyrepo itself is installed in (`npm i -g` puts team packages beside it),
   * absolute NODE_PATH entries, and npm's global prefix.
   */
  #roots(): string[] {
    const roots = [this.#options.projectDir ?? this.#options.cwd, this.#options.cwd].map(dir => join(resolve(dir), 'node_modules'));
    const catalogDir = resolve(this.#options.catalogDir);
    roots.push(join(catalogDir, 'node_modules'));
    for (let dir = catalogDir; dirname(dir) !== dir; dir = dirname(dir)) if (basename(dir) === 'node_modules') roots.push(dir);
    for (const path of (process.env.NODE_PATH ?? '').split(delimiter)) if (isAbsolute(path)) roots.push(path);
    const prefix = process.env.npm_config_prefix ?? join(dirname(process.execPath), '..');
    if (isAbsolute(prefix)) roots.push(join(prefix, 'lib', 'node_modules'), join(prefix, 'node_modules'));
    return [...new Set(roots)];
  }

  #findPackageDir(packageName: string): string | undefined {
    for (const root of this.#roots()) {
      const dir = join(root, packageName);
      if (existsSync(join(dir, 'package.json'))) return dir;
    }
    return undefined;
  }

  /**
   * A built-in's folder, resolved as Node resolves generator-pyrepo's dependencies, but within
   * pyrepo's install only (up to the outermost node_modules holding it): never from the user's folders.
   */
  #builtInDir(packageName: string): string | undefined {
    const catalogDir = resolve(this.#options.catalogDir);
    let last = catalogDir;
    for (let dir = catalogDir; dirname(dir) !== dir; dir = dirname(dir)) if (basename(dir) === 'node_modules') last = dirname(dir);
    for (let dir = catalogDir; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', packageName);
      if (basename(dir) !== 'node_modules' && existsSync(join(candidate, 'package.json'))) return candidate;
      if (dir === last || dirname(dir) === dir) return undefined;
    }
  }

  #builtIn(kind: PluginKind, ref: string) {
    const list = kind === 'generator' ? this.#options.catalog.generators : this.#options.catalog.presets;
    return list.find(entry => entry.name === ref || entry.package === ref);
  }

  /** The generator `ref` names (short name, package name or path), or undefined. */
  findGenerator(ref: string): GeneratorEntry | undefined {
    const cached = this.#generators.get(ref);
    if (cached) return cached;
    const located = this.#locate('generator', ref);
    if (!located) return undefined;
    const entry = this.#loadGenerator(located.dir, located.pkg, located.source);
    this.#generators.set(ref, entry);
    return entry;
  }

  /** The preset `ref` names (short name, package name, package folder or preset.json path), or undefined. */
  findPreset(ref: string): PresetEntry | undefined {
    if (isPathRef(ref) && ref.endsWith('.json')) {
      const file = resolve(this.#options.cwd, ref);
      if (!existsSync(file)) return undefined;
      return { kind: 'preset', name: ref, description: '', source: { type: 'path', path: file }, file };
    }
    const located = this.#locate('preset', ref);
    if (!located) return undefined;
    const file = join(located.dir, 'preset.json');
    if (!existsSync(file)) throw new PyrepoError(`Preset package ${located.pkg.name ?? located.dir} has no preset.json.`, 1);
    const name = located.pkg.name ? shortName(located.pkg.name, 'preset') : basename(located.dir);
    return { kind: 'preset', name, description: located.pkg.description ?? '', source: located.source, file };
  }

  #locate(kind: PluginKind, ref: string): { dir: string; pkg: PackageJson; source: EntrySource } | undefined {
    if (isPathRef(ref)) {
      const dir = resolve(this.#options.cwd, ref);
      if (!existsSync(join(dir, 'package.json'))) return undefined;
      const pkg = this.#checkedPackage(dir, kind, ref);
      checkCoreRange(pkg.name ?? dir, pkg);
      return { dir, pkg, source: { type: 'path', path: dir } };
    }
    // A built-in's name always means pyrepo's own copy: nothing in the user's folders shadows it.
    const builtIn = this.#builtIn(kind, ref);
    if (builtIn) {
      const dir = this.#builtInDir(builtIn.package);
      if (!dir) throw new PyrepoError(`Built-in ${kind} ${ref} (${builtIn.package}) is not installed next to pyrepo; reinstall pyrepo.`, 1);
      const pkg = readPackageJson(dir, builtIn.package);
      return { dir, pkg, source: { type: 'built-in', packageName: builtIn.package, version: pkg.version ?? '0.0.0', path: dir } };
    }
    for (const packageName of candidatePackages(ref, kind)) {
      const dir = this.#findPackageDir(packageName);
      if (!dir) continue;
      const pkg = readPackageJson(dir, packageName);
      if (pkg.pyrepo?.kind !== kind) continue;
      checkCoreRange(packageName, pkg);
      return { dir, pkg, source: { type: 'package', packageName, version: pkg.version ?? '0.0.0', path: dir } };
    }
    return undefined;
  }

  #checkedPackage(dir: string, kind: PluginKind, label: string): PackageJson {
    const pkg = readPackageJson(dir, label);
    if (pkg.pyrepo?.kind !== kind) {
      throw new UsageError({
        message: `${label} is not a pyrepo ${kind} package: its package.json has no "pyrepo": { "kind": "${kind}" }.`,
        fix: `point to a ${kind} package, or add that key to its package.json.`,
      });
    }
    return pkg;
  }

  #loadGenerator(dir: string, pkg: PackageJson, source: EntrySource): GeneratorEntry {
    const label = pkg.name ?? dir;
    const schema = readJsonFile(join(dir, 'schema.json'), `schema.json of ${label}:`);
    // Built-in schemas were checked when the catalog was built (scripts/build-catalog.mjs).
    const problems = source.type === 'built-in' ? [] : checkGeneratorSchema(schema);
    if (problems.length > 0) throw new PyrepoError(`Generator ${label} has an invalid schema.json:\n  ${problems.join('\n  ')}`, 1);
    const name = pkg.name ? shortName(pkg.name, 'generator') : basename(dir);
    const module = packageEntry(dir, pkg);
    const builtInLoad = source.type === 'built-in' ? this.#options.catalog.generators.find(item => item.package === source.packageName)?.load : undefined;
    const entry: GeneratorEntry = {
      kind: 'generator',
      name,
      description: (schema as GeneratorSchema).description,
      source,
      dir,
      module,
      load:
        builtInLoad ??
        (async () => {
          this.#requireTrusted(entry);
          return (this.#options.importModule ?? (url => import(url)))(pathToFileURL(module).href);
        }),
      schema: schema as GeneratorSchema,
      packageJson: { name: pkg.name, version: pkg.version },
    };
    return entry;
  }

  /** Refuse to load code the user has not trusted (the CLI and yo ask first: this holds for any other caller). */
  #requireTrusted(entry: GeneratorEntry): void {
    const origin = codeOrigin(entry);
    const trust = this.#options.trust;
    if (origin && trust && !trust.has(origin)) throw new UsageError(untrustedProblem(origin, trust));
  }

  /** Like findGenerator, but an unknown name is a usage error that suggests the closest names. */
  requireGenerator(ref: string, context: string): GeneratorEntry {
    const entry = this.findGenerator(ref);
    if (entry) return entry;
    throw new UsageError(this.unknown('generator', ref, context));
  }

  requirePreset(ref: string, context: string): PresetEntry {
    const entry = this.findPreset(ref);
    if (entry) return entry;
    throw new UsageError(this.unknown('preset', ref, context));
  }

  unknown(kind: PluginKind, ref: string, context: string) {
    const names = this.#catalogNames(kind);
    return {
      message: `Unknown ${kind} "${ref}"${context}.${didYouMean(ref, names, n => `"${n}"`)}`,
      fix: `use one of ${names.join(', ')} (see \`pyrepo list\`), or install ${candidatePackages(ref, kind)[0]} from npm, or give a path to a ${kind} package.`,
    };
  }

  /** A name that is neither a preset nor a generator (`pyrepo info`): the closest names of both kinds. */
  unknownPresetOrGenerator(ref: string) {
    const presets = this.#catalogNames('preset');
    const generators = this.#catalogNames('generator');
    return {
      message: `Unknown preset or generator "${ref}".${didYouMean(ref, [...presets, ...generators], n => `"${n}"`)}`,
      fix: `use a preset (${presets.join(', ')}) or a generator (${generators.join(', ')}); see \`pyrepo list\`. Or install ${candidatePackages(ref, 'preset')[0]} or ${candidatePackages(ref, 'generator')[0]} from npm, or give a path to a package.`,
    };
  }

  #catalogNames(kind: PluginKind): string[] {
    return (kind === 'generator' ? this.#options.catalog.generators : this.#options.catalog.presets).map(entry => entry.name);
  }

  /** Everything installed: built-ins, then pyrepo packages in the local and global node_modules (only `list` pays for this scan). */
  listInstalled(): Array<{ kind: PluginKind; name: string; description: string; source: EntrySource; error?: string }> {
    const rows: Array<{ kind: PluginKind; name: string; description: string; source: EntrySource; error?: string }> = [];
    const seen = new Set<string>();
    for (const kind of ['preset', 'generator'] as const) {
      for (const item of kind === 'preset' ? this.#options.catalog.presets : this.#options.catalog.generators) {
        seen.add(item.package);
        const dir = this.#builtInDir(item.package);
        const version = dir ? (readPackageJson(dir, item.package).version ?? '0.0.0') : 'missing';
        rows.push({ kind, name: item.name, description: item.description, source: { type: 'built-in', packageName: item.package, version, path: dir ?? 'missing' } });
      }
    }
    for (const root of this.#roots()) {
      for (const packageName of pyrepoPackageNames(root)) {
        if (seen.has(packageName)) continue;
        seen.add(packageName);
        const kind: PluginKind = packageName.includes(prefixes.preset) ? 'preset' : 'generator';
        const name = shortName(packageName, kind);
        try {
          const entry = kind === 'preset' ? this.findPreset(packageName) : this.findGenerator(packageName);
          if (entry) rows.push({ kind, name, description: entry.description, source: entry.source });
        } catch (error) {
          rows.push({ kind, name, description: '', source: { type: 'package', packageName, version: '?', path: join(root, packageName) }, error: (error as Error).message });
        }
      }
    }
    return rows;
  }
}

function pyrepoPackageNames(root: string): string[] {
  const names: string[] = [];
  const matches = (bare: string) => bare.startsWith(prefixes.generator) || bare.startsWith(prefixes.preset);
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return names;
  }
  for (const entry of entries) {
    if (entry.startsWith('@') && entry !== '@pyrepo') {
      try {
        for (const bare of readdirSync(join(root, entry))) if (matches(bare)) names.push(`${entry}/${bare}`);
      } catch {
        // unreadable scope folder: nothing to list
      }
    } else if (matches(entry)) names.push(entry);
  }
  return names;
}

