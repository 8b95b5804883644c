import { createRequire } from 'node:module';

/**
 * require() from @pyrepo/core's package folder, resolved by package name: core's own files
 * (package.json, schemas) and its dependencies are found the same from its compiled sources and
 * from a bundle of the CLI.
 */
export const coreRequire = createRequire(import.meta.resolve('@pyrepo/core/package.json'));

/** The version of @pyrepo/core that runs: what team packages declare compatibility with. */
export const coreVersion = (coreRequire('./package.json') as { version: string }).version;
