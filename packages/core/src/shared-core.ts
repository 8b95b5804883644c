/**
 * Where @pyrepo/core's package entry (written by scripts/core-entry.mjs) looks for the core of a
 * bundle that runs this process.
 */
export const sharedCoreKey = Symbol.for('pyrepo.bundledCore');

/**
 * Make `core` the one that generators from packages and paths get when they import @pyrepo/core
 * (their peer dependency, from their own install): the same PyrepoGenerator and Yeoman the run
 * uses, loaded once. The first offer stands.
 */
export function shareCore(core: object): void {
  (globalThis as Record<symbol, unknown>)[sharedCoreKey] ??= core;
}
