import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Where the bundle puts its core for core.mjs (scripts/bundle.mjs writes that facade). */
const coreKey = Symbol.for('pyrepo.bundledCore');

// Resolves @pyrepo/core (and @pyrepo/core/host) to the facade for modules outside the bundle.
const hooks = `
let core;
export async function initialize(data) { core = data.core; }
export async function resolve(specifier, context, next) {
  if (specifier === '@pyrepo/core' || specifier === '@pyrepo/core/host') return { url: core, shortCircuit: true };
  return next(specifier, context);
}`;

let facade: URL | undefined;

/**
 * Generators from packages and paths import @pyrepo/core (their peer dependency). Run from the
 * bundle, they get the bundle's core: the same PyrepoGenerator and Yeoman the run uses, loaded
 * once, instead of a second, unbundled copy that costs most of a second. The hooks (on a thread
 * of their own, ~70 ms) are registered only when such a generator is imported.
 */
async function shareBundledCore(): Promise<void> {
  if (facade) return;
  facade = new URL('./core.mjs', import.meta.url);
  if (!existsSync(fileURLToPath(facade))) return; // not bundled: every package finds its own core
  (globalThis as Record<symbol, unknown>)[coreKey] = await import('@pyrepo/core');
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { core: facade.href } });
}

/** Set by the bin: import() from an ES module (the bundle runs as a script, where Node 20 has no import() of its own). */
export const importerKey = Symbol.for('pyrepo.importModule');

/** Import a generator module from a package or path, with the bundle's core shared. */
export async function importWithSharedCore(url: string): Promise<unknown> {
  await shareBundledCore();
  const importModule = (globalThis as Record<symbol, ((url: string) => Promise<unknown>) | undefined>)[importerKey];
  return importModule ? importModule(url) : import(url);
}
