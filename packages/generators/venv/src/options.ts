// Generated from schema.json by `pnpm codegen`: do not edit.
/** venv: options after validation (defaults applied). */
export interface Options {
  /** Let the virtual environment see the interpreter's system packages (python3 -m venv --system-site-packages). Default: false. */
  systemSitePackages: boolean;
}
