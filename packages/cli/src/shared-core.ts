import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

// Resolves @pyrepo/core (and @pyrepo/core/host) to the bundle's core for modules outside the bundle.
const hooks = `
let core;
export async function initialize(data) { core = data.core; }
export async function resolve(specifier, context, next) {
  if (specifier === '@pyrepo/core' || specifier === '@pyrepo/core/host') return { url: core, shortCircuit: true };
  return next(specifier, context);
}`;

let shared = false;

/**
 * Generators from packages and paths import @pyrepo/core (their peer dependency). Run from the
 * bundle, they get the bundle's core: the same PyrepoGenerator and Yeoman the run uses, loaded
 * once, instead of a second, unbundled copy that costs a second of start-up. Registered only when
 * such a generator is imported (the hooks run on a thread of their own).
 */
export function shareBundledCore(): void {
  if (shared) return;
  shared = true;
  const core = new URL('./core.js', import.meta.url);
  if (!existsSync(fileURLToPath(core))) return; // not bundled: every package finds its own core
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { core: core.href } });
}

/** Import a generator module from a package or path, with the bundle's core shared. */
export function importWithSharedCore(url: string): Promise<unknown> {
  shareBundledCore();
  return import(url);
}
