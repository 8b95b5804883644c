// Generated from schema.json by `pnpm codegen`: do not edit.
/** vendor: options after validation (defaults applied). */
export interface Options {
}
