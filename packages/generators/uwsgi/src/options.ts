// Generated from schema.json by `pnpm codegen`: do not edit.
/** uwsgi: options after validation (defaults applied). */
export interface Options {
  /** Where uWSGI comes from: pip (pinned in the production requirements, with the Python plugin built in) or system (the server's package, e.g. Debian's uwsgi-core with uwsgi-plugin-python3: the ini loads the python3 plugin). Default: "pip". */
  install: "pip" | "system";
  /** Worker processes, unless the deployment sets UWSGI_PROCESSES. Default: 4. */
  processes: number;
  /** Requests a worker serves before it is recycled (0: never), unless UWSGI_MAX_REQUESTS is set. Default: 1000. */
  maxRequests: number;
  /** Seconds after which a stuck request's worker is killed (0: never), unless UWSGI_HARAKIRI is set. Default: 30. */
  harakiri: number;
  /** Folder uWSGI changes to (where the code is), unless UWSGI_CHDIR is set. Default: "/app". */
  chdir: string;
  /** Accept the PROXY protocol header (enable-proxy-protocol) and take the client address from it. Only behind a trusted proxy or load balancer that sends it and that is the only way to reach uWSGI's socket: otherwise any client sets the address uWSGI logs and the app sees. Default: false. */
  proxyProtocol: boolean;
  /** Log the X-Forwarded-For header as the client address (log-x-forwarded-for). Only behind a trusted proxy that sets the header and that is the only way to reach uWSGI's socket: otherwise any client writes the address the logs show. Default: false. */
  logXForwardedFor: boolean;
}
