import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { isExecutableFile } from '@pyrepo/core';
import { homedir } from 'node:os';
import { basename, delimiter, isAbsolute, join } from 'node:path';

/** A Python interpreter found to create the virtual environment with. */
export interface Interpreter {
  /** Absolute path of the program. */
  path: string;
  /** How a person runs it: `python3.12` from PATH, or its path (`~/.pyenv/versions/3.12.1/bin/python3.12`). */
  command: string;
  /** What it says it is: `3.12.1`. */
  version: string;
  /** Where it was found. */
  source: 'PATH' | 'pyenv' | 'uv';
}

export interface InterpreterChoice {
  /** The interpreter for the project's Python, or the fallback; none when no Python was found at all. */
  interpreter?: Interpreter;
  /** Why the fallback: where the requested version was looked for. Unset when the requested version was found. */
  fallbackReason?: string;
}

/**
 * The version an interpreter reports, or nothing when it does not run. Isolated (-I: no current
 * folder on sys.path, no PYTHON* variables, no user site) and started from `/`, so no module of
 * the folder pyrepo runs in is imported.
 */
function versionOf(path: string): string | undefined {
  const result = spawnSync(path, ['-I', '-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { cwd: '/', encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  const version = result.status === 0 ? result.stdout.trim() : '';
  return /^\d+\.\d+\.\d+$/.test(version) ? version : undefined;
}

/**
 * `name` in the absolute folders of PATH. Relative entries (`.`, an empty one) are skipped: they
 * would be the repository's folder. So are shim folders (pyenv's, asdf's): a shim picks its
 * interpreter from the repository's `.python-version` or `.tool-versions`, a file of the
 * repository deciding what runs (pyenv's CVE-2022-35861 was one naming a program outside).
 */
function onPath(name: string, env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(dir => isAbsolute(dir) && basename(dir) !== 'shims')
    .map(dir => join(dir, name))
    .filter(isExecutableFile);
}

/** Installed versions `major.minor.patch` of `minor` (`3.12`) among the names in `dir` (`prefix` before, `suffix` after), newest first. */
function versionFolders(dir: string, pattern: RegExp, minor: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map(name => ({ name, match: pattern.exec(name) }))
    .filter(({ match }) => match && `${match[1]}.${match[2]}` === minor)
    .sort((a, b) => Number(b.match![3]) - Number(a.match![3]))
    .map(({ name }) => name);
}

const tilde = (path: string, home: string) => (path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path);

/**
 * The interpreter to create the project's virtual environment with, for Python `minor` (`3.12`):
 * `python3.12` on PATH, then one pyenv installed (`$PYENV_ROOT/versions/3.12.*`), then one uv
 * installed (`$UV_PYTHON_INSTALL_DIR`, by default `~/.local/share/uv/python/cpython-3.12.*`),
 * newest first; else `python3` on PATH, with the reason. Only folders the user set up for
 * interpreters are looked in, and a candidate runs only to say its version.
 */
export function findInterpreter(minor: string, env: NodeJS.ProcessEnv = process.env): InterpreterChoice {
  const home = env.HOME ?? homedir();
  const wanted = `python${minor}`;
  const matches = (path: string) => {
    const version = versionOf(path);
    return version?.startsWith(`${minor}.`) ? version : undefined;
  };
  for (const path of onPath(wanted, env)) {
    const version = matches(path);
    if (version) return { interpreter: { path, command: wanted, version, source: 'PATH' } };
  }
  const pyenvRoot = env.PYENV_ROOT ?? join(home, '.pyenv');
  const pyenvVersions = join(pyenvRoot, 'versions');
  for (const name of versionFolders(pyenvVersions, /^(\d+)\.(\d+)\.(\d+)$/, minor)) {
    const path = join(pyenvVersions, name, 'bin', wanted);
    const version = isExecutableFile(path) ? matches(path) : undefined;
    if (version) return { interpreter: { path, command: tilde(path, home), version, source: 'pyenv' } };
  }
  const uvRoot = env.UV_PYTHON_INSTALL_DIR ?? join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'uv', 'python');
  for (const name of versionFolders(uvRoot, /^cpython-(\d+)\.(\d+)\.(\d+)-/, minor)) {
    const path = join(uvRoot, name, 'bin', wanted);
    const version = isExecutableFile(path) ? matches(path) : undefined;
    if (version) return { interpreter: { path, command: tilde(path, home), version, source: 'uv' } };
  }
  const fallbackReason = `no ${wanted} was found on PATH (shim folders skipped), in pyenv (${tilde(pyenvVersions, home)}) or in uv (${tilde(uvRoot, home)})`;
  for (const path of onPath('python3', env)) {
    const version = versionOf(path);
    if (version) return { interpreter: { path, command: 'python3', version, source: 'PATH' }, fallbackReason };
  }
  return { fallbackReason };
}
