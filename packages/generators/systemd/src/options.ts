// Generated from schema.json by `pnpm codegen`: do not edit.
/** systemd: options after validation (defaults applied). */
export interface Options {
  /** The uWSGI the server runs (Debian's uwsgi package installs /usr/bin/uwsgi). Default: "/usr/bin/uwsgi". */
  uwsgiBinary: string;
  /** Address uWSGI listens on: 127.0.0.1 behind a reverse proxy on the same host (nginx), 0.0.0.0 to serve the network directly. Default: "127.0.0.1". */
  listen: "127.0.0.1" | "0.0.0.0";
}
