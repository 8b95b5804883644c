// Generated from schema.json by `pnpm codegen`: do not edit.
/** shiv: options after validation (defaults applied). */
export interface Options {
  /** The interpreter line of the zipapp. Default: the project's exact system Python, /usr/bin/python<python> (the zipapp's compiled wheels run on that minor version only). Default: "". */
  shebang: string;
}
