// Generated from schema.json by `pnpm codegen`: do not edit.
/** jenkins: options after validation (defaults applied). */
export interface Options {
  /** The interpreter on the Jenkins agent that creates the build's virtual environment. Default: "python3". */
  agentPython: string;
}
