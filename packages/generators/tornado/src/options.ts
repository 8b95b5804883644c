// Generated from schema.json by `pnpm codegen`: do not edit.
/** tornado: options after validation (defaults applied). */
export interface Options {
}
