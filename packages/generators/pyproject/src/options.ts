// Generated from schema.json by `pnpm codegen`: do not edit.
/** pyproject: options after validation (defaults applied). */
export interface Options {
  /** Tools to configure in pyproject.toml and install in CI. Default: ["pytest","ruff","coverage"]. */
  tools: Array<"pytest" | "ruff" | "coverage">;
  /** Maximum line length for ruff's linter and formatter. Default: 88. */
  lineLength: number;
  /** Folders pytest collects tests from. Default: ["tests"]. */
  testPaths: string[];
}
