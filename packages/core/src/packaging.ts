import { isPlainObject } from './json.js';
import { parseToml } from './toml.js';

/** How pyproject.toml says the project is built: its `[build-system].build-backend` and whether it has a `[project]` table. */
export interface DeclaredBuild {
  backend?: string;
  /** `[build-system].backend-path`: a backend that lives in the repository itself. */
  inTree: boolean;
  /** The project's metadata is declared in pyproject.toml's `[project]` table. */
  project: boolean;
}

/** The backends that run a setup.py: the ones setup.py and MANIFEST.in are written for. */
export const setuptoolsBackends: ReadonlySet<string> = new Set(['setuptools.build_meta', 'setuptools.build_meta:__legacy__']);

/** What pyproject.toml's text declares about building the project (nothing when there is no pyproject.toml). */
export function declaredBuild(pyproject: string | undefined): DeclaredBuild {
  if (pyproject === undefined) return { inTree: false, project: false };
  const document = parseToml(pyproject, 'pyproject.toml');
  const system = isPlainObject(document['build-system']) ? document['build-system'] : {};
  return {
    backend: typeof system['build-backend'] === 'string' ? system['build-backend'] : undefined,
    inTree: system['backend-path'] !== undefined,
    project: isPlainObject(document.project),
  };
}
