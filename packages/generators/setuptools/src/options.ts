// Generated from schema.json by `pnpm codegen`: do not edit.
/** setuptools: options after validation (defaults applied). */
export interface Options {
  /** The one-line summary in the package metadata. Default: "". */
  description: string;
}
