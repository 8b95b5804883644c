// Generated from schema.json by `pnpm codegen`: do not edit.
/** fastapi: options after validation (defaults applied). */
export interface Options {
}
