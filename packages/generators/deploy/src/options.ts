// Generated from schema.json by `pnpm codegen`: do not edit.
/** deploy: options after validation (defaults applied). */
export interface Options {
  /** What a release is: sdist (python -m build --sdist's <name>-<version>.tar.gz, unpacked into the release folder as it is: its dependencies vendored or the system's), zipapp (scripts/build-pyz.sh's <name>-<version>.pyz, placed in the release folder as <name>.pyz, which the unit of systemd --run zipapp starts) or venv (the tagged commit's files, archived by scripts/release-archive.sh with git archive; on the server, the release gets its own virtual environment, built from the production requirements with the project's exact system Python, pip reading the release's pip.conf). Default: "sdist". */
  artifact: "sdist" | "zipapp" | "venv";
}
