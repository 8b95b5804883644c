import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** Where compiled code is kept: $PYREPO_CACHE_DIR, else $XDG_CACHE_HOME/pyrepo, else ~/.cache/pyrepo. */
function cacheDir(): string {
  return process.env.PYREPO_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pyrepo');
}

/**
 * Code a run may compile beyond start-up: generating with built-in generators, or with generators
 * from packages or paths (Ajv's compiler for their schemas, the module loader for their code).
 */
export type CodePath = 'built-in' | 'team';
const codePaths: readonly CodePath[] = ['built-in', 'team'];

/** A cache's name part: the code paths it holds (`built-in+team`), or `start`. */
function cacheTag(paths: ReadonlySet<CodePath>): string {
  return codePaths.filter(path => paths.has(path)).join('+') || 'start';
}

/** The caches a start looks for, fullest first. */
const pathSets: Array<Set<CodePath>> = [new Set(codePaths), new Set(['built-in']), new Set(['team']), new Set()];

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /**
   * Keep the compiled code for the next start, once per bundle, Node version and set of code
   * paths: a run that took a path the loaded cache lacks (`taken`) writes one that has it too.
   */
  saveCodeCache(taken: ReadonlySet<CodePath>): void;
}

/**
 * Load the CLI's CommonJS bundle with V8's code cache. Compiling the bundle's code was a fifth of a
 * run; Node 20 has no compile cache for modules (Node 22's module.enableCompileCache does this), so
 * the bundle is one script, compiled with the code V8 produced for it last time. A cache from
 * another Node or another build is not used (its name says which) and is replaced.
 */
export function loadBundle(url: URL): LoadedBundle {
  const file = fileURLToPath(url);
  // The bundle is ASCII (esbuild's charset: 'ascii'): read as one-byte text, without UTF-8 decoding.
  const source = readFileSync(file, 'latin1');
  const { size, mtimeMs } = statSync(file);
  const key = join(cacheDir(), `${basename(file)}-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}`);
  const cacheFile = (paths: ReadonlySet<CodePath>) => `${key}.${cacheTag(paths)}.v8`;
  let cachedPaths = new Set<CodePath>();
  let cachedData: Buffer | undefined;
  for (const paths of pathSets) {
    try {
      cachedData = readFileSync(cacheFile(paths));
      cachedPaths = paths;
      break;
    } catch {
      // absent or unreadable: the next one, else compile without
    }
  }
  // A script has no import() of its own in Node 20 (vm's is experimental and warns): the bundle's
  // import() calls (lazy modules, team generators) go through this module's.
  (globalThis as Record<symbol, unknown>)[Symbol.for('pyrepo.importModule')] = (specifier: string) => import(specifier);
  // The bundle is already wrapped in the function Node gives a CommonJS module (scripts/bundle.mjs).
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    saveCodeCache(taken: ReadonlySet<CodePath>) {
      // The new cache holds what this run compiled and what it loaded from the old one, if V8 took it.
      const usable = cachedData !== undefined && !script.cachedDataRejected;
      const paths = new Set([...(usable ? cachedPaths : []), ...taken]);
      const target = cacheFile(paths);
      if (usable && paths.size === cachedPaths.size) return;
      try {
        mkdirSync(dirname(target), { recursive: true });
        const temporary = `${target}.${process.pid}`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, target);
        // The bundle's other caches are not used again: other builds or Node versions, a rejected
        // or smaller one of this build, a write cut short.
        for (const name of readdirSync(dirname(target))) {
          if (name.startsWith(`${basename(file)}-`) && name !== basename(target)) rmSync(join(dirname(target), name), { force: true });
        }
      } catch {
        // A read-only home: every start compiles, as without the cache.
      }
    },
  };
}
