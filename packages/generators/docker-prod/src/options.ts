// Generated from schema.json by `pnpm codegen`: do not edit.
/** docker-prod: options after validation (defaults applied). */
export interface Options {
  /** The server the image runs (its CMD), one word per item. Default: uwsgi --ini uwsgi.ini for a WSGI framework, else the framework's own server. Default: []. */
  serverCommand: string[];
}
