import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { python, runTool } from './checks.js';
import { checkDockerfile, checkDockerignore } from './docker.js';
import { checkUwsgiIni } from './services.js';
import { systemdExposure } from './systemd.js';
import { readTree } from './index.js';

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

/** The highest exposure `systemd-analyze security` may rate a generated unit ("OK" or better). */
export const maxSystemdExposure = 2.5;

/** The kind of a generated file, from its path and first line; undefined for text no tool parses (README, .gitignore). */
export function fileKind(path: string, contents: string): FileKind | undefined {
  const name = basename(path);
  if (name.endsWith('.py')) return 'python';
  if (name.endsWith('.sh') || /^#!.*\b(ba)?sh\b/.test(contents)) return 'shell';
  if (name === 'Dockerfile' || name.endsWith('.Dockerfile')) {
    // Development images and the images a build starts from may hold compilers; the one that runs the app may not.
    return /(^|\/)(dev\.Dockerfile|docker\/(base|builder)\/Dockerfile)$/.test(path) ? 'dockerfile' : 'production-dockerfile';
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
  const add = (path: string, found: string[]) => problems.get(path)!.push(...found);
  const ofKind = (...kinds: FileKind[]) => files.filter(file => kinds.includes(file.kind));

  const forPython = files.filter(file => pythonKinds.has(file.kind)).map(({ kind, path }) => ({ kind, path }));
  if (forPython.length > 0) {
    const output = runTool(python, [new URL('../../python/check_files.py', import.meta.url).pathname], { input: JSON.stringify(forPython) });
    for (const [path, found] of Object.entries(JSON.parse(output) as Record<string, string[]>)) add(path, found);
  }
  for (const file of ofKind('dockerfile', 'production-dockerfile')) add(file.path, checkDockerfile(readFileSync(file.path, 'utf8'), { production: file.kind === 'production-dockerfile' }));
  for (const file of ofKind('dockerignore')) add(file.path, checkDockerignore(readFileSync(file.path, 'utf8'), file.venvDir ?? '.venv'));
  for (const file of ofKind('json')) {
    try {
      JSON.parse(readFileSync(file.path, 'utf8'));
    } catch (error) {
      add(file.path, [(error as Error).message]);
    }
  }
  checkShellScripts(ofKind('shell').map(file => file.path), add);
  for (const file of ofKind('uwsgi')) add(file.path, checkUwsgi(file.path));
  checkSystemdUnits(ofKind('systemd').map(file => file.path), add);
  checkJenkinsfiles(ofKind('jenkinsfile').map(file => file.path), add);
  for (const file of ofKind('makefile')) {
    const result = spawnSync('make', ['-n', '--no-print-directory', '-f', basename(file.path)], { cwd: dirname(file.path), encoding: 'utf8' });
    if (result.status !== 0) add(file.path, [`make -n: ${result.stderr.trim()}`]);
  }
  return problems;
}

/** shellcheck over every script at once, plus an executable bit and `set -eu` in each. */
function checkShellScripts(paths: string[], add: (path: string, found: string[]) => void): void {
  if (paths.length === 0) return;
  for (const path of paths) {
    if ((statSync(path).mode & 0o111) === 0) add(path, ['not executable']);
    const options = /^\s*set\s+-([a-z]+)/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
    if (!options.includes('e') || !options.includes('u')) add(path, ['does not set -eu']);
  }
  const result = spawnSync('shellcheck', ['--format=json1', ...paths], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`shellcheck failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { comments: Array<{ file: string; line: number; code: number; message: string }> };
  for (const comment of report.comments) add(comment.file, [`line ${comment.line}: SC${comment.code} ${comment.message}`]);
}

/** uWSGI's own parser in strict mode (it rejects unknown options), pyrepo's rules, and a non-root uid. */
function checkUwsgi(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const found = checkUwsgiIni(text);
  const result = spawnSync('uwsgi', ['--plugins', 'python3,http', '--ini', path, '--strict', '--get', 'master'], { cwd: dirname(path), encoding: 'utf8' });
  if (result.status !== 0) found.push(`uwsgi does not accept it: ${result.stderr.trim().split('\n').at(-1)}`);
  const uid = /^\s*uid\s*=\s*(\S+)/m.exec(text)?.[1];
  if (!uid || ['root', '0'].includes(uid)) found.push('no uid, or uid root: uWSGI started as root keeps running as root');
  return found;
}

/**
 * `systemd-analyze verify` of many units in one scratch root (the system's units, a stub for every
 * program they run), then each unit's exposure. Each unit keeps a unique name in the root, so
 * every line systemd prints is traced to its unit; a line naming none concerns them all.
 */
function checkSystemdUnits(paths: string[], add: (path: string, found: string[]) => void): void {
  if (paths.length === 0) return;
  const root = mkdtempSync(join(tmpdir(), 'pyrepo-systemd-'));
  try {
    const system = realpathSync('/lib/systemd/system');
    if (existsSync(system)) cpSync(system, join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    const names = paths.map((path, index) => `u${index}-${basename(path)}`);
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    for (const [index, path] of paths.entries()) {
      const unit = readFileSync(path, 'utf8');
      writeFileSync(join(root, 'etc/systemd/system', names[index]!), unit);
      for (const [, program] of unit.matchAll(/^Exec\w*=[-@:+!]*(\S+)/gm)) {
        mkdirSync(join(root, dirname(program!)), { recursive: true });
        writeFileSync(join(root, program!), '#!/bin/sh\n');
        chmodSync(join(root, program!), 0o755);
      }
    }
    const result = spawnSync('systemd-analyze', ['verify', `--root=${root}`, ...names], { encoding: 'utf8' });
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter(line => line.trim() !== '');
    for (const line of lines) {
      const index = names.findIndex(name => line.includes(name));
      if (index === -1) paths.forEach(path => add(path, [line]));
      else add(paths[index]!, [line.replaceAll(`${root}/etc/systemd/system/`, '').replaceAll(names[index]!, basename(paths[index]!))]);
    }
    if (result.status !== 0 && lines.length === 0) paths.forEach(path => add(path, [`systemd-analyze verify failed (${result.status})`]));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  for (const path of paths) {
    const exposure = systemdExposure(path);
    if (exposure > maxSystemdExposure) add(path, [`systemd-analyze security rates it ${exposure}, above ${maxSystemdExposure}`]);
  }
}

/** Groovy's parser over every Jenkinsfile, in one JVM. */
function checkJenkinsfiles(paths: string[], add: (path: string, found: string[]) => void): void {
  if (paths.length === 0) return;
  const java = realpathSync(runTool('sh', ['-c', 'command -v java']).trim());
  const script = 'args.each { path -> try { new GroovyShell().parse(new File(path)) } catch (e) { println(path + "\\t" + e.message.replace("\\n", " ")) } }';
  const output = runTool('groovy', ['-e', script, ...paths], { env: { ...process.env, JAVA_HOME: dirname(dirname(java)) } });
  for (const line of output.split('\n').filter(Boolean)) {
    const [path = '', message = ''] = line.split('\t');
    if (paths.includes(path)) add(path, [message]);
  }
}

/**
 * Every file of generated repositories that a tool reads, checked with checkFiles; files with the
 * same kind and contents are checked once. Returns "repository/path: problem" lines, none when all pass.
 */
export function checkRepositories(dirs: string[]): string[] {
  const seen = new Map<string, string>();
  const files: Array<FileToCheck & { shown: string; sameAs?: string }> = [];
  for (const dir of dirs) {
    const tree = readTree(dir);
    const venvDir = storedVenvDir(tree['.yo-rc.json']);
    for (const [relativePath, contents] of Object.entries(tree)) {
      const kind = fileKind(relativePath, contents);
      if (!kind) continue;
      const path = join(dir, relativePath);
      // Requirements and compose files read their neighbours; a .dockerignore depends on venvDir.
      const key = ['requirements', 'compose', 'dockerignore'].includes(kind) ? path : `${kind}\0${createHash('sha256').update(contents).digest('hex')}`;
      files.push({ path, kind, venvDir, shown: `${dir}/${relativePath}`, sameAs: seen.get(key) });
      if (!seen.has(key)) seen.set(key, path);
    }
  }
  const problems = checkFiles(files.filter(file => !file.sameAs));
  return files.flatMap(file => (problems.get(file.sameAs ?? file.path) ?? []).map(problem => `${file.shown}: ${problem}`));
}

function storedVenvDir(yoRc: string | undefined): string | undefined {
  try {
    return (JSON.parse(yoRc ?? '{}') as { 'generator-pyrepo'?: { project?: { venvDir?: string } } })['generator-pyrepo']?.project?.venvDir;
  } catch {
    return undefined; // checked as a JSON file, and reported there
  }
}
