// Generated from schema.json by `pnpm codegen`: do not edit.
/** setuptools: options after validation (defaults applied). */
export interface Options {
  /** The release version. Default: "0.1.0". */
  packageVersion: string;
  /** The one-line summary in the package metadata. Default: "". */
  description: string;
}
