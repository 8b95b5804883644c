import type { ProjectContext } from './context.js';

/**
 * Where a release lives on a server pyrepo deploys to without containers: each release is
 * unpacked in its own folder and `current` points at the one that runs, so a deployment is
 * one symlink switch and a rollback another. The systemd unit, the deploy script and the
 * uWSGI working directory agree on it.
 */
export interface ReleaseLayout {
  /** Everything the application owns on the server: /srv/<name>. */
  root: string;
  /** Unpacked releases, one folder each. */
  releases: string;
  /** The symlink to the running release. */
  current: string;
  /** The systemd service name. */
  service: string;
}

export function releaseLayout(project: ProjectContext): ReleaseLayout {
  const root = `/srv/${project.name}`;
  return { root, releases: `${root}/releases`, current: `${root}/current`, service: project.name };
}

/**
 * The exact system interpreter a release built for the project's Python runs on
 * (/usr/bin/python3.12): a zipapp or vendored folder holds wheels compiled for one minor
 * version, so neither the zipapp's shebang nor the unit may name a bare python3.
 */
export function systemPython(project: ProjectContext): string {
  return `/usr/bin/python${project.python}`;
}

/**
 * The one folder a production run may write, outside the read-only source: /var/lib/<name>
 * (systemd's StateDirectory=, the production image's volume). The operator points the
 * application there (Django: DATABASE_URL=sqlite:////var/lib/<name>/db.sqlite3).
 */
export function stateLayout(project: ProjectContext): { folder: string } {
  return { folder: `/var/lib/${project.name}` };
}

/**
 * How a release runs from its own virtual environment (the seed's "venv + pip" deployment):
 * the command, and the environment activation would set. Shared by the systemd unit and the
 * supervisord program, which must agree.
 */
export function venvService(project: ProjectContext, serve: string[], listen: string): { command: string[]; environment: Record<string, string> } {
  const release = releaseLayout(project);
  const venv = `${release.current}/${project.venvDir}`;
  return {
    command: [`${venv}/bin/python`, ...serve.slice(1)],
    // Written out whole: neither systemd nor supervisord expands $PATH in a value.
    environment: { PATH: `${venv}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, VIRTUAL_ENV: venv, HOST: listen, PORT: String(project.port), ...(serve.includes('uvicorn') ? { UVICORN_HOST: listen, UVICORN_PORT: String(project.port) } : {}) },
  };
}
