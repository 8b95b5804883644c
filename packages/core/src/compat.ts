import semver from 'semver';
import { coreVersion } from './core-package.js';
import { PyrepoError } from './errors.js';

export { coreVersion };

/**
 * A preset or generator package says which cores it works with in its peer dependency on
 * @pyrepo/core; one built for another core is refused, naming both versions and the way out.
 */
export function checkCoreRange(label: string, pkg: { version?: string; peerDependencies?: Record<string, string>; dependencies?: Record<string, string> }): void {
  const range = pkg.peerDependencies?.['@pyrepo/core'] ?? pkg.dependencies?.['@pyrepo/core'];
  if (range === undefined || range.startsWith('workspace:')) return;
  if (semver.validRange(range) === null) {
    throw new PyrepoError(`${label}: its package.json asks for @pyrepo/core "${range}", which is not a version range. Fix the peerDependencies entry (for example "^${semver.major(coreVersion)}.${semver.minor(coreVersion)}.0").`, 1);
  }
  if (!semver.satisfies(coreVersion, range, { includePrerelease: true })) {
    throw new PyrepoError(
      `${label}${pkg.version ? ` ${pkg.version}` : ''} is built for @pyrepo/core ${range}, but this pyrepo has @pyrepo/core ${coreVersion}. Install a version of it made for @pyrepo/core ${coreVersion}, or a pyrepo whose core satisfies ${range}.`,
      1,
    );
  }
}

/** The newest of a package's versions (package.json fields, as `npm view --json` gives them) that this core can run, if any. */
export function newestForThisCore(candidates: Array<{ version: string; peerDependencies?: Record<string, string>; dependencies?: Record<string, string> }>): string | undefined {
  const runnable = candidates.filter(pkg => {
    try {
      checkCoreRange(pkg.version, pkg);
      return true;
    } catch {
      return false;
    }
  });
  return runnable.map(pkg => pkg.version).sort(semver.rcompare)[0];
}
