// Generated from schema.json by `pnpm codegen`: do not edit.
/** deploy: options after validation (defaults applied). */
export interface Options {
  /** What a release is: sdist (python -m build --sdist's <name>-<version>.tar.gz, unpacked into the release folder, as uWSGI runs it) or zipapp (scripts/build-pyz.sh's <name>-<version>.pyz, placed in the release folder as <name>.pyz, which the unit of systemd --run zipapp starts). Default: "sdist". */
  artifact: "sdist" | "zipapp";
}
