// Generated from schema.json by `pnpm codegen`: do not edit.
/** shiv: options after validation (defaults applied). */
export interface Options {
  /** The interpreter line of the zipapp. Default: "/usr/bin/env python3". */
  shebang: string;
}
