/** Where @pyrepo/core's package entry looks for a bundle's core (scripts/core-entry.mjs writes it). */
const coreKey = Symbol.for('pyrepo.bundledCore');

/** Set by the bin: import() from an ES module (the bundle runs as a script, where Node 20 has no import() of its own). */
export const importerKey = Symbol.for('pyrepo.importModule');

/**
 * Import a generator module from a package or path. Such a generator imports @pyrepo/core, its
 * peer dependency, from its own install; that package's entry hands it the core this process
 * runs, when it is a bundle's: the same PyrepoGenerator and Yeoman as the run, loaded once,
 * instead of a second, unbundled copy that costs most of a second.
 */
export async function importWithSharedCore(url: string): Promise<unknown> {
  (globalThis as Record<symbol, unknown>)[coreKey] ??= await import('@pyrepo/core');
  const importModule = (globalThis as Record<symbol, ((url: string) => Promise<unknown>) | undefined>)[importerKey];
  return importModule ? importModule(url) : import(url);
}
