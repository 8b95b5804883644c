/**
 * The curated table of pinned versions templates use. Taken from PyPI's index on 2026-11-21;
 * bump them together, in one commit, after the preset tests pass.
 */
export interface PinnedVersion {
  /** Project name as PyPI spells it. */
  project: string;
  version: string;
  /** Oldest Python the pinned version supports, when that matters for pyrepo's range (3.10-3.14). */
  requiresPython?: string;
  /** What to require on an older Python: a compatible-release spec of the last series that supports it. */
  olderPython?: string;
}

export const pinnedVersions = {
  django: { project: 'Django', version: '6.1.3', requiresPython: '3.12', olderPython: '~=5.2.0' },
  flask: { project: 'Flask', version: '3.1.3' },
  fastapi: { project: 'fastapi', version: '0.163.2' },
  uvicorn: { project: 'uvicorn', version: '0.54.0' },
  httpx: { project: 'httpx', version: '0.28.1' },
  tornado: { project: 'tornado', version: '6.6.1' },
  uwsgi: { project: 'uWSGI', version: '2.0.31' },
  pytest: { project: 'pytest', version: '9.2.0' },
  pytestDjango: { project: 'pytest-django', version: '4.14.0' },
  djDatabaseUrl: { project: 'dj-database-url', version: '3.1.2' },
  pytestCov: { project: 'pytest-cov', version: '7.1.0' },
  coverage: { project: 'coverage', version: '7.17.3' },
  ruff: { project: 'ruff', version: '0.17.5' },
  shiv: { project: 'shiv', version: '1.0.8' },
  build: { project: 'build', version: '1.6.1' },
  setuptools: { project: 'setuptools', version: '84.2.1' },
  wheel: { project: 'wheel', version: '0.48.0' },
  pipTools: { project: 'pip-tools', version: '7.6.2' },
  supervisor: { project: 'supervisor', version: '4.3.0' },
} as const satisfies Record<string, PinnedVersion>;

export type PinnedProject = keyof typeof pinnedVersions;

function pythonAtLeast(python: string, minimum: string): boolean {
  const [major = 0, minor = 0] = python.split('.').map(Number);
  const [minMajor = 0, minMinor = 0] = minimum.split('.').map(Number);
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

/** A requirement line pinning `project`, e.g. `uWSGI==2.0.31`; on a Python the pin does not support, its older series. */
export function pin(project: PinnedProject, python?: string): string {
  const entry: PinnedVersion = pinnedVersions[project];
  if (python && entry.requiresPython && entry.olderPython && !pythonAtLeast(python, entry.requiresPython)) {
    return `${entry.project}${entry.olderPython}`;
  }
  return `${entry.project}==${entry.version}`;
}
