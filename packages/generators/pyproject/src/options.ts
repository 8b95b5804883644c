// Generated from schema.json by `pnpm codegen`: do not edit.
/** pyproject: options after validation (defaults applied). */
export interface Options {
  /** Tools to configure in pyproject.toml and install in CI. Default: ["pytest","ruff","coverage"]. */
  tools: Array<"pytest" | "ruff" | "coverage">;
  /** Maximum line length for ruff's linter and formatter. Default: 88. */
  lineLength: number;
  /** Folders pytest collects tests from. Default: the test folders the repository has (tests, test, <package>/tests, src/tests, src/<package>/tests), none when it has none (pytest then collects from the root); tests in a repository without Python code yet. */
  testPaths?: string[];
}
