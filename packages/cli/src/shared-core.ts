import { shareCore } from '@pyrepo/core/host';

/** Set by loadBundle: import() from an ES module (the bundle runs as a script, where Node 20 has no import() of its own). */
const importerKey = Symbol.for('pyrepo.importModule');

/**
 * Import a generator module from a package or path, after offering it this process's core (the
 * bundle's): see shareCore.
 */
export async function importWithSharedCore(url: string): Promise<unknown> {
  shareCore(await import('@pyrepo/core'));
  return (globalThis as Record<symbol, (url: string) => Promise<unknown>>)[importerKey]!(url);
}
