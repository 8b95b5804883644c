import { existsSync, mkdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { type Problem, PyrepoError, UsageError } from './errors.js';
import { isPlainObject, readJsonFile } from './json.js';
import type { Composition } from './plan.js';
import type { GeneratorEntry, PluginKind, PresetEntry } from './registry.js';

/**
 * Code that did not ship with pyrepo: a team generator (its module and its EJS templates, which are
 * JavaScript) or a team preset (its template folders). It runs only once the user trusts it.
 */
export interface CodeOrigin {
  kind: PluginKind;
  /** Found as an npm package in a node_modules folder, or given by path. */
  found: 'package' | 'path';
  /** The package name; for a path, the path. */
  name: string;
  /** The package's version (packages only). */
  version?: string;
  /** The package folder or preset file, symlinks resolved: what was trusted is what runs. */
  path: string;
}

/** One entry of the trusted list: a package (name, version and folder) or a path (any content there). */
export interface TrustRecord {
  kind?: PluginKind;
  name?: string;
  version?: string;
  path: string;
  /** What agreeing covers, in words, for the person reading the file. */
  covers?: string;
  trustedAt?: string;
}

const covers = 'pyrepo imports its code and renders its templates (and, for a preset, its template folders) when it generates';

/** Where a user's trusted list lives: $XDG_CONFIG_HOME/pyrepo/trusted.json (~/.config by default). */
export function trustFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(config, 'pyrepo', 'trusted.json');
}

/** Where a preset or generator that is not built in comes from; undefined for pyrepo's own. */
export function codeOrigin(entry: GeneratorEntry | PresetEntry): CodeOrigin | undefined {
  const source = entry.source;
  if (source.type === 'built-in') return undefined;
  let path = source.path;
  try {
    path = realpathSync(source.path);
  } catch {
    // missing since it was found: the load fails with its own message
  }
  return source.type === 'package'
    ? { kind: entry.kind, found: 'package', name: source.packageName, version: source.version, path }
    : { kind: entry.kind, found: 'path', name: source.path, path };
}

/**
 * What the user agreed to run: the trusted list in their config, plus what this run trusts
 * (`--trust`, or an answer to the question).
 */
export class Trust {
  readonly file: string;
  readonly #everything: boolean;
  #records?: TrustRecord[];
  readonly #granted = new Set<string>();

  /** `everything`: `--trust`, this run only. */
  constructor(options: { file?: string; everything?: boolean } = {}) {
    this.file = options.file ?? trustFile();
    this.#everything = options.everything ?? false;
  }

  has(origin: CodeOrigin): boolean {
    if (this.#everything || this.#granted.has(key(origin))) return true;
    return this.#read().some(
      record => record.path === origin.path && (record.name === undefined || (record.name === origin.name && record.version === origin.version)),
    );
  }

  /** Trust these for this run; `remember` records them in the trusted list for later runs. */
  grant(origins: CodeOrigin[], remember: boolean): void {
    for (const origin of origins) this.#granted.add(key(origin));
    if (!remember) return;
    const trustedAt = new Date().toISOString();
    const added = origins.map(({ kind, name, version, path, found }): TrustRecord => (found === 'package' ? { kind, name, version, path, covers, trustedAt } : { kind, path, covers, trustedAt }));
    const records = [...this.#read(), ...added];
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ trusted: records }, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch (error) {
      throw new PyrepoError(`Cannot record what you trust in ${this.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was written. Re-run with --trust, or make that folder writable.`, 1);
    }
    this.#records = records;
  }

  #read(): TrustRecord[] {
    if (this.#records) return this.#records;
    const fix = `correct it (${this.recordExample()}) or delete it.`;
    const data = existsSync(this.file) ? readJsonFile(this.file, 'trusted list', fix) : { trusted: [] };
    const records = isPlainObject(data) ? data.trusted : undefined;
    if (!Array.isArray(records) || !records.every(record => isPlainObject(record) && typeof record.path === 'string')) {
      throw new UsageError({ message: `Trusted list ${this.file} must be an object whose "trusted" is a list of entries, each with a "path".`, fix });
    }
    this.#records = records as TrustRecord[];
    return this.#records;
  }

  recordExample(origin?: CodeOrigin): string {
    return origin?.found === 'package'
      ? `{ "trusted": [{ "name": ${JSON.stringify(origin.name)}, "version": ${JSON.stringify(origin.version)}, "path": ${JSON.stringify(origin.path)} }] }`
      : `{ "trusted": [{ "path": ${JSON.stringify(origin?.path ?? '/path/to/package')} }] }`;
  }
}

function key(origin: CodeOrigin): string {
  return JSON.stringify([origin.path, origin.name, origin.version ?? null]);
}

/** How an origin is named in messages: what it is and where it was found. */
export function describeOrigin(origin: CodeOrigin): string {
  return origin.found === 'package'
    ? `${origin.kind} package ${origin.name} ${origin.version} (found in ${origin.path})`
    : `${origin.kind} at ${origin.path} (given by path)`;
}

export function untrustedProblem(origin: CodeOrigin, trust: Trust): Problem {
  return {
    message: `The ${describeOrigin(origin)} did not ship with pyrepo and is not trusted: pyrepo does not run its code or render its templates (a dry run, list and info neither).`,
    fix: `if you trust it, re-run with --trust (this run only), or in a terminal without --yes to be asked once, or add it to ${trust.file}: ${trust.recordExample(origin)}.`,
  };
}

/**
 * Every preset and generator a composition (or a draft of it) would load that is not pyrepo's own
 * and not trusted yet: its generators (their modules and templates), the presets it runs, and
 * presets whose template folders shadow a generator's (for `pyrepo add`, the stored preset's).
 * Empty when the registry it was composed with has no trust policy.
 */
export function untrustedOrigins(composition: Composition): CodeOrigin[] {
  const trust = composition.trust;
  if (!trust) return [];
  const entries: Array<GeneratorEntry | PresetEntry> = [
    ...(composition.preset?.entries ?? []),
    ...composition.generators.flatMap(entry => [entry, ...(composition.presetSteps.get(entry.name)?.templatesFrom ?? [])]),
  ];
  const origins = new Map<string, CodeOrigin>();
  for (const entry of entries) {
    const origin = codeOrigin(entry);
    if (origin && !trust.has(origin)) origins.set(key(origin), origin);
  }
  return [...origins.values()];
}

/** The question asked before running untrusted code. */
export function trustQuestion(origins: CodeOrigin[], trust: Trust): string {
  return [
    'This run would load code that did not ship with pyrepo; it runs with your privileges:',
    ...origins.map(origin => `  - the ${describeOrigin(origin)}`),
    `Trust ${origins.length === 1 ? 'it' : 'them'} from now on (recorded in ${trust.file})?`,
  ].join('\n');
}

/**
 * The trust boundary of a run, between composing it and drafting it (`draftPlan`): nothing that did
 * not ship with pyrepo is loaded (its schema compiled, its module imported, its templates rendered;
 * a dry run included) unless the user trusts it. `ask`, when a person can answer, asks once and
 * records a yes; otherwise the run is refused naming each package or path and how to trust it.
 */
export async function confirmTrust(composition: Composition, ask?: (question: string) => Promise<boolean>): Promise<void> {
  const origins = untrustedOrigins(composition);
  if (origins.length === 0) return;
  const trust = composition.trust!;
  if (ask && (await ask(trustQuestion(origins, trust)))) {
    trust.grant(origins, true);
    return;
  }
  throw new UsageError(origins.map(origin => untrustedProblem(origin, trust)));
}

/** For code that drafts or runs a composition: refuse it if anything in it is untrusted (the CLI and yo asked before). */
export function requireTrusted(composition: Composition): void {
  const origins = untrustedOrigins(composition);
  if (origins.length > 0) throw new UsageError(origins.map(origin => untrustedProblem(origin, composition.trust!)));
}
