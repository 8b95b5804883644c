// Generated from schema.json by `pnpm codegen`: do not edit.
/** supervisor: options after validation (defaults applied). */
export interface Options {
  /** Address the application listens on: 127.0.0.1 behind a reverse proxy on the same host, 0.0.0.0 to serve the network directly. Default: "127.0.0.1". */
  listen: "127.0.0.1" | "0.0.0.0";
}
