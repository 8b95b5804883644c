// Generated from schema.json by `pnpm codegen`: do not edit.
/** pip-config: options after validation (defaults applied). */
export interface Options {
  /** The package index pip uses instead of PyPI (Artifactory, Nexus, devpi, ...). Default: "". */
  indexUrl: string;
  /** The proxy pip reaches the index through (keep credentials out of it: pip also reads https_proxy). Default: "". */
  proxy: string;
}
