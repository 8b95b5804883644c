// The Debian tools the checks run (packages/testing/tools.mjs, shared with scripts/ensure-tools.mjs).
type Tools = typeof import('../tools.mjs');
// From dist/src/ at run time: the table ships as plain JavaScript beside the package's python/ folder.
const { installCommand, missingPackages, packageOf } = (await import(new URL('../../tools.mjs', import.meta.url).href)) as Tools;

/**
 * Refuse to run tests without the tools they need: one message naming every missing Debian
 * package and the command that installs them, before any test runs (this module loads with the
 * first test file that uses @pyrepo/testing).
 */
export function requireTools(): void {
  const missing = missingPackages();
  if (missing.length === 0) return;
  throw new Error(`The tests check generated files with Debian tools that are missing: ${missing.join(', ')}.\nInstall them, then run the tests again:\n  ${installCommand(missing)}\n(or, as root: node scripts/ensure-tools.mjs)`);
}

/** The error for a program that could not be started: which tool, and how to install it. */
export function toolError(program: string, cause?: Error): Error {
  const name = program.split('/').at(-1)!;
  const debianPackage = packageOf(program) ?? packageOf(name);
  const install = debianPackage ? `: install it with ${installCommand([debianPackage])}` : '';
  return new Error(`${name} could not be started (${(cause as NodeJS.ErrnoException | undefined)?.code ?? 'not found'})${install}`, { cause });
}
