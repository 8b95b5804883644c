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
}
