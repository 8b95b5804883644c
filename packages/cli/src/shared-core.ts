import { shareCore } from '@pyrepo/core/host';

/** Set by the bin: import() from an ES module (the bundle runs as a script, where Node 20 has no import() of its own). */
const importerKey = Symbol.for('pyrepo.importModule');

/**
 * Import a generator module from a package or path, after offering it this process's core (the
 * bundle's, when the CLI runs from it): see shareCore.
 */
export async function importWithSharedCore(url: string): Promise<unknown> {
  shareCore(await import('@pyrepo/core'));
  const importModule = (globalThis as Record<symbol, ((url: string) => Promise<unknown>) | undefined>)[importerKey];
  return importModule ? importModule(url) : import(url);
}
