// Generated from schema.json by `pnpm codegen`: do not edit.
/** deploy: options after validation (defaults applied). */
export interface Options {
}
