// Generated from schema.json by `pnpm codegen`: do not edit.
/** systemd: options after validation (defaults applied). */
export interface Options {
  /** How the release runs: uwsgi (uwsgi.ini with the system's uWSGI), zipapp (<name>.pyz on the system Python, as shiv builds it) or venv (the framework's server from the release's virtual environment, with PATH and VIRTUAL_ENV set). Default: "uwsgi". */
  run: "uwsgi" | "zipapp" | "venv";
  /** The uWSGI the server runs (Debian's uwsgi package installs /usr/bin/uwsgi). Default: "/usr/bin/uwsgi". */
  uwsgiBinary: string;
  /** Address the application listens on: 127.0.0.1 behind a reverse proxy on the same host (nginx), 0.0.0.0 to serve the network directly. Default: "127.0.0.1". */
  listen: "127.0.0.1" | "0.0.0.0";
  /** The system Python that runs a zipapp. Default: the project's exact system Python, /usr/bin/python<python>, the one the zipapp is built for. Default: "". */
  interpreter: string;
}
