import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkGroovyFiles, checkWithPython, type PythonCheckedKind } from './checks.js';
import { checkDockerfile, checkDockerignore } from './docker.js';
import { checkShellScripts } from './scripts.js';
import { checkUwsgiIni } from './services.js';
import { checkSystemdUnits } from './systemd.js';
import { readTree } from './index.js';
import { toolError } from './tools.js';

/** What reads a generated file, and so how it is checked. */
export type FileKind =
  | 'python'
  | 'shell'
  | 'dockerfile'
  | 'production-dockerfile'
  | 'dockerignore'
  | 'compose'
  | 'requirements'
  | 'pyproject'
  | 'uwsgi'
  | 'systemd'
  | 'supervisor'
  | 'pip-config'
  | 'app-config'
  | 'jenkinsfile'
  | 'makefile'
  | 'json';

/** The kind of a generated file, from its path and first line; undefined for text no tool parses (README, .gitignore). */
export function fileKind(path: string, contents: string): FileKind | undefined {
  const name = basename(path);
  if (name.endsWith('.py')) return 'python';
  if (name.endsWith('.sh') || /^#!.*\b(ba)?sh\b/.test(contents)) return 'shell';
  if (name === 'Dockerfile' || name.endsWith('.Dockerfile')) {
    // Development and builder images may hold compilers; the ones the app runs on may not (wheelhouse's
    // base image is the release image's first layers, so it is held to the production rules too).
    return /(^|\/)(dev\.Dockerfile|docker\/builder\/Dockerfile)$/.test(path) ? 'dockerfile' : 'production-dockerfile';
  }
  if (name === '.dockerignore') return 'dockerignore';
  if (/^(docker-)?compose\.ya?ml$/.test(name)) return 'compose';
  if (/^requirements.*\.txt$/.test(name) || /(^|\/)requirements\/[^/]+\.txt$/.test(path)) return 'requirements';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name.endsWith('.ini') && /^\[uwsgi\]/m.test(contents)) return 'uwsgi';
  if (name.endsWith('.service')) return 'systemd';
  if (name.endsWith('.conf') && /^\[program:/m.test(contents)) return 'supervisor';
  if (name === 'pip.conf') return 'pip-config';
  if (name.endsWith('.conf')) return 'app-config';
  if (name === 'Jenkinsfile') return 'jenkinsfile';
  if (name === 'Makefile') return 'makefile';
  if (name.endsWith('.json')) return 'json';
  return undefined;
}

export interface FileToCheck {
  path: string;
  kind: FileKind;
  /** The repository's virtual environment folder, which .dockerignore must exclude. */
  venvDir?: string;
}

const pythonKinds = new Set<FileKind>(['python', 'pyproject', 'requirements', 'compose', 'pip-config', 'app-config', 'supervisor']);

/**
 * Check files with the tools that read them, each tool run once for all its files; with
 * pyrepo's hardening rules on top (no root, exposure, set -eu). Problems by path; none, an empty list.
 */
export function checkFiles(files: FileToCheck[]): Map<string, string[]> {
  const problems = new Map<string, string[]>(files.map(file => [file.path, []]));
  const add = (found: Map<string, string[]>) => found.forEach((list, path) => problems.get(path)?.push(...list));
  const paths = (...kinds: FileKind[]) => files.filter(file => kinds.includes(file.kind)).map(file => file.path);

  add(checkWithPython(files.filter(file => pythonKinds.has(file.kind)) as Array<{ path: string; kind: PythonCheckedKind }>));
  add(checkShellScripts(paths('shell')));
  add(checkSystemdUnits(paths('systemd')));
  add(checkGroovyFiles(paths('jenkinsfile')));
  // uWSGI's parser reads nothing but the file's contents: each distinct one is parsed once.
  const uwsgiVerdicts = new Map<string, string[]>();
  for (const file of files) {
    const found = problems.get(file.path)!;
    const text = () => readFileSync(file.path, 'utf8');
    if (file.kind === 'dockerfile' || file.kind === 'production-dockerfile') found.push(...checkDockerfile(text(), { production: file.kind === 'production-dockerfile' }));
    if (file.kind === 'dockerignore') found.push(...checkDockerignore(text(), file.venvDir ?? '.venv'));
    if (file.kind === 'uwsgi') {
      const contents = text();
      if (!uwsgiVerdicts.has(contents)) uwsgiVerdicts.set(contents, checkUwsgi(file.path));
      found.push(...uwsgiVerdicts.get(contents)!);
    }
    if (file.kind === 'makefile') {
      const result = spawnSync('make', ['-n', '--no-print-directory', '-f', basename(file.path)], { cwd: dirname(file.path), encoding: 'utf8' });
      if (result.error) throw toolError('make', result.error);
      if (result.status !== 0) found.push(`make -n: ${result.stderr.trim()}`);
    }
    if (file.kind === 'json') {
      try {
        JSON.parse(text());
      } catch (error) {
        found.push((error as Error).message);
      }
    }
  }
  return problems;
}

/** uWSGI's own parser in strict mode (it rejects unknown options), pyrepo's rules, and a non-root uid. */
function checkUwsgi(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const found = checkUwsgiIni(text);
  const result = spawnSync('uwsgi', ['--plugins', 'python3,http', '--ini', path, '--strict', '--get', 'master'], { cwd: dirname(path), encoding: 'utf8' });
  if (result.error) throw toolError('uwsgi', result.error);
  if (result.status !== 0) found.push(`uwsgi does not accept it: ${result.stderr.trim().split('\n').at(-1)}`);
  const uid = /^\s*uid\s*=\s*(\S+)/m.exec(text)?.[1];
  if (!uid || ['root', '0'].includes(uid)) found.push('no uid, or uid root: uWSGI started as root keeps running as root');
  return found;
}

/**
 * Every file of generated repositories that a tool reads, checked with checkFiles (each file on
 * its own: two files with the same contents may differ in what else is checked, such as the
 * executable bit). Returns "repository/path: problem" lines, none when all pass.
 */
export function checkRepositories(dirs: string[]): string[] {
  const files: Array<FileToCheck & { shown: string }> = [];
  for (const dir of dirs) {
    const tree = readTree(dir);
    const venvDir = storedVenvDir(tree['.yo-rc.json']);
    for (const [relativePath, contents] of Object.entries(tree)) {
      const kind = fileKind(relativePath, contents);
      if (kind) files.push({ path: join(dir, relativePath), kind, venvDir, shown: `${dir}/${relativePath}` });
    }
  }
  const problems = checkFiles(files);
  return files.flatMap(file => (problems.get(file.path) ?? []).map(problem => `${file.shown}: ${problem}`));
}

function storedVenvDir(yoRc: string | undefined): string | undefined {
  try {
    return (JSON.parse(yoRc ?? '{}') as { 'generator-pyrepo'?: { project?: { venvDir?: string } } })['generator-pyrepo']?.project?.venvDir;
  } catch {
    return undefined; // checked as a JSON file, and reported there
  }
}
