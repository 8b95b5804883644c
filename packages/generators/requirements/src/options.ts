// Generated from schema.json by `pnpm codegen`: do not edit.
/** requirements: options after validation (defaults applied). */
export interface Options {
  /** Requirements every context needs: the application's own dependencies. Default: []. */
  base: string[];
  /** Requirements CI needs on top of base: test runners, linters. Default: []. */
  ci: string[];
  /** Requirements developers need on top of CI's. Default: []. */
  dev: string[];
  /** Requirements only production needs on top of base: the application server. Default: []. */
  prod: string[];
  /** In the app/dev/frozen layout, freeze with the sha256 of every archive, so pip installs the lock in hash-checking mode. Default: false. */
  hashes: boolean;
}
