// Generated from schema.json by `pnpm codegen`: do not edit.
/** deploy: options after validation (defaults applied). */
export interface Options {
  /** What a release is: sdist (an archive the pipeline builds, python -m build --sdist, unpacked as it is: its dependencies vendored or the system's) or venv (the tagged commit's files, archived by scripts/release-archive.sh with git archive; on the server, the release gets its own virtual environment, built from the production requirements with the project's exact system Python, pip reading the release's pip.conf). Default: "sdist". */
  release: "sdist" | "venv";
}
