// Generated from schema.json by `pnpm codegen`: do not edit.
/** django: options after validation (defaults applied). */
export interface Options {
  /** TIME_ZONE of the project. Default: "UTC". */
  timeZone: string;
}
