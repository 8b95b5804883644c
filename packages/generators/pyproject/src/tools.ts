import { pin, sourceRoot, type JsonObject, type PinnedProject, type ProjectContext } from '@pyrepo/core';
import type { Options } from './options.js';

type Tool = Options['tools'][number];

/** What the repository has that the settings point at (each list empty: leave the setting out). */
export interface ToolTargets {
  /** Folders pytest collects tests from. */
  testPaths: string[];
  /** Packages or modules coverage measures. */
  coverageSource: string[];
}

interface ToolSpec {
  /** What the tool needs installed in CI. */
  requirements: PinnedProject[];
  /** Its [tool.*] configuration. */
  config: (project: ProjectContext, options: Options, targets: ToolTargets) => JsonObject;
  /** Caches and reports it leaves in the working tree. */
  ignore: string[];
}

/** How each tool is configured and installed: data, not branches. */
export const tools: Record<Tool, ToolSpec> = {
  pytest: {
    requirements: ['pytest'],
    config: (project, _options, targets) => ({
      pytest: { ini_options: { ...(targets.testPaths.length > 0 ? { testpaths: targets.testPaths } : {}), pythonpath: [sourceRoot(project)], addopts: '-ra --strict-markers' } },
    }),
    ignore: ['.pytest_cache/'],
  },
  ruff: {
    requirements: ['ruff'],
    config: (project, options) => ({
      ruff: {
        'line-length': options.lineLength,
        'target-version': `py${project.python.replace('.', '')}`,
        'extend-exclude': [project.venvDir],
        lint: { select: ['E', 'F', 'W', 'I', 'B', 'UP'] },
      },
    }),
    ignore: ['.ruff_cache/'],
  },
  coverage: {
    requirements: ['coverage'],
    config: (_project, _options, targets) => ({
      coverage: { run: { ...(targets.coverageSource.length > 0 ? { source: targets.coverageSource } : {}), branch: true }, report: { show_missing: true, skip_empty: true } },
    }),
    ignore: ['.coverage', '.coverage.*', 'htmlcov/'],
  },
};

export function requirementsFor(selected: readonly Tool[], python: string): string[] {
  return selected.flatMap(tool => tools[tool].requirements.map(project => pin(project, python)));
}
