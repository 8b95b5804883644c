import type { ProjectContext } from './context.js';
import type { FrameworkRuntime } from './frameworks.js';
import type { LayoutSpec } from './requirements.js';

/**
 * Container facts the development and production images share. Debian trixie (13) is the
 * current stable release the official python images are built on; never alpine, whose musl
 * libc makes pip build wheels from source.
 */
export const debianRelease = 'trixie';

/** The official slim Python image for the project's Python version. */
export function pythonImage(project: ProjectContext): string {
  return `python:${project.python}-slim-${debianRelease}`;
}

/**
 * Virtual environment folders by their usual names (Python's own docs and gitignore templates):
 * one made by hand, or by a tool, beside the one the project chose would otherwise go into the image.
 */
export const usualVenvDirs = ['.venv', 'venv', 'env', 'ENV'];

/**
 * What never belongs in a build context: history, secrets (.env files, pip.conf with an index
 * token: the build mounts it as a secret instead), environments, caches.
 */
export function dockerIgnoreLines(project: ProjectContext): string[] {
  return [
    '.git',
    ...[...new Set([project.venvDir, ...usualVenvDirs])].map(dir => `/${dir}`),
    '.env',
    '.env.*',
    '**/pip.conf',
    '**/__pycache__',
    '**/*.py[cod]',
    '.pytest_cache',
    '.ruff_cache',
    '.coverage',
    'htmlcov',
    'db.sqlite3',
  ];
}

/** `COPY` lines bringing the requirements files into an image before the source (layer caching). */
export function requirementsCopies(requirements: LayoutSpec): string[] {
  const paths = requirements.files.map(file => file.path);
  const folders = [...new Set(paths.filter(path => path.includes('/')).map(path => path.slice(0, path.indexOf('/'))))];
  const topLevel = paths.filter(path => !path.includes('/'));
  return [...folders.map(folder => `COPY ${folder}/ ./${folder}/`), ...(topLevel.length > 0 ? [`COPY ${topLevel.join(' ')} ./`] : [])];
}

/** A command in a Dockerfile's exec (JSON) form: ["uwsgi", "--ini", "uwsgi.ini"]. */
export function execForm(words: readonly string[]): string {
  return `[${words.map(word => JSON.stringify(word)).join(', ')}]`;
}

/**
 * The server a production image runs (its CMD): the one chosen (docker-prod's --server-command),
 * else uWSGI with uwsgi.ini for a WSGI framework, else the framework's own server.
 */
export function imageServerCommand(project: ProjectContext, runtime: FrameworkRuntime, chosen: readonly string[]): string[] {
  if (chosen.length > 0) return [...chosen];
  return runtime.wsgiModule ? ['uwsgi', '--ini', 'uwsgi.ini'] : (runtime.serve?.(project) ?? []);
}
