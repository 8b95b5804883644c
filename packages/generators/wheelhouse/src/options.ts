// Generated from schema.json by `pnpm codegen`: do not edit.
/** wheelhouse: options after validation (defaults applied). */
export interface Options {
  /** REPO_NS, the namespace of the images (a registry organization). Default: the project's name. Default: "". */
  registryNamespace: string;
}
