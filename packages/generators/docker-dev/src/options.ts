// Generated from schema.json by `pnpm codegen`: do not edit.
/** docker-dev: options after validation (defaults applied). */
export interface Options {
  /** Host address docker-compose publishes the port on; 0.0.0.0 exposes the development server to the whole network. Default: "127.0.0.1". */
  hostAddress: "127.0.0.1" | "0.0.0.0";
}
