// Generated from schema.json by `pnpm codegen`: do not edit.
/** repo: options after validation (defaults applied). */
export interface Options {
  /** One-line introduction under the README title. Default: "A Python application.". */
  description: string;
  /** Do not run git init at the end (it is skipped anyway inside an existing git work tree). Default: false. */
  skipGit: boolean;
  /** After git init, commit the files this run generated as the first commit, nothing else that is in the folder (needs git's user.name and user.email). Default: false. */
  initialCommit: boolean;
}
