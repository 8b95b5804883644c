// Generated from schema.json by `pnpm codegen`: do not edit.
/** flask: options after validation (defaults applied). */
export interface Options {
  /** What / answers, from the configuration file. Default: "hello world". */
  greeting: string;
}
